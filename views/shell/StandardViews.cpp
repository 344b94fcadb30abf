#include "views/shell/StandardViews.h"

#include "views/compare/CompareView.h"
#include "views/dataset/DatasetView.h"
#include "views/embeddings/EmbeddingsView.h"
#include "views/failures/FailuresView.h"
#include "views/runs/RunsView.h"
#include "views/shell/OverviewView.h"

namespace moon {

ViewRegistry standardViews() {
  ViewRegistry views;
  // One line per view, in sidebar order.
  views.add<OverviewView>();
  views.add<RunsView>();
  views.add<CompareView>();
  views.add<DatasetView>();
  views.add<FailuresView>();
  views.add<EmbeddingsView>();
  return views;
}

}  // namespace moon
