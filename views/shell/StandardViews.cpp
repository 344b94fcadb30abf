#include "views/shell/StandardViews.h"

#include "views/compare/CompareView.h"
#include "views/dataset/DatasetView.h"
#include "views/shell/OverviewView.h"

namespace moon {

ViewRegistry standardViews() {
  ViewRegistry views;
  views.add<OverviewView>();
  // One line per view, in sidebar order (Runs, Compare, Dataset, Embeddings).
  views.add<CompareView>();
  views.add<DatasetView>();
  return views;
}

}  // namespace moon
