#pragma once

// The New Run form: preset, dataset folder, the main hyper-parameters and the
// device. Every edit re-validates the settings the way the trainer will
// (NewRunSettings::validationError), showing the trainer's error text and
// keeping Launch disabled until the run can start.

#include <QDialog>

#include "views/common/WorkspaceLocation.h"
#include "views/runs/NewRunSettings.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace moon {

class NewRunDialog : public QDialog {
  Q_OBJECT
 public:
  explicit NewRunDialog(const WorkspaceLocation& workspace, QWidget* parent = nullptr);

  NewRunSettings settings() const;
  void setSettings(const NewRunSettings& settings);
  // Empty when the run can be launched.
  QString errorText() const { return error_; }
  bool canLaunch() const;
  QPushButton* launchButton() const { return launch_; }

  // Form fields, named for tests and accessibility.
  QLineEdit* learningRateEdit() const { return lr_; }
  QLineEdit* dataEdit() const { return data_; }

 private:
  void presetChosen();
  void browseData();
  void validate();

  QComboBox* preset_;
  QLineEdit* data_;
  QLineEdit* name_;
  QSpinBox* steps_;
  QSpinBox* batch_;
  QLineEdit* lr_;
  QSpinBox* warmup_;
  QCheckBox* rl_;
  QSpinBox* evalEvery_;
  QSpinBox* checkpointEvery_;
  QComboBox* device_;
  QLineEdit* extra_;
  QLabel* errorLabel_;
  QPushButton* launch_;
  QString error_;
  bool filling_ = false;
};

}  // namespace moon
