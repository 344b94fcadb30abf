#pragma once

#include <QWidget>

#include <functional>
#include <vector>

namespace moon {

class WorkbenchView;

// The ordered list of views the main window shows. Order gives the sidebar
// order and the Ctrl+1…Ctrl+9 shortcuts. Adding a view is one call:
//   registry.add<RunsView>();
class ViewRegistry {
 public:
  using Factory = std::function<WorkbenchView*(QWidget* parent)>;

  void add(Factory factory) { factories_.push_back(std::move(factory)); }

  template <class View>
  void add() {
    add([](QWidget* parent) -> WorkbenchView* { return new View(parent); });
  }

  const std::vector<Factory>& factories() const { return factories_; }

 private:
  std::vector<Factory> factories_;
};

}  // namespace moon
