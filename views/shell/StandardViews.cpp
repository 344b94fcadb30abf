#include "views/shell/StandardViews.h"

#include "views/runs/RunsView.h"
#include "views/shell/OverviewView.h"

namespace moon {

ViewRegistry standardViews() {
  ViewRegistry views;
  views.add<OverviewView>();
  views.add<RunsView>();
  // One line per view, in sidebar order (Runs, Compare, Dataset, Embeddings).
  return views;
}

}  // namespace moon
