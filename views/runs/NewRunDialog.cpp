#include "views/runs/NewRunDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "model/BuildInfo.h"
#include "views/common/Theme.h"

namespace moon {
namespace {

QSpinBox* spin(int min, int max, QWidget* parent) {
  auto* s = new QSpinBox(parent);
  s->setRange(min, max);
  s->setGroupSeparatorShown(true);
  return s;
}

}  // namespace

NewRunDialog::NewRunDialog(const WorkspaceLocation& workspace, QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("New Run"));
  preset_ = new QComboBox(this);
  preset_->setObjectName(QStringLiteral("preset"));
  for (const auto& p : trainPresetNames()) preset_->addItem(QString::fromStdString(p));
  preset_->setToolTip(tr("micro: seconds, for tests · tiny: the CPU demo · small, base: GPUs"));

  data_ = new QLineEdit(this);
  data_->setObjectName(QStringLiteral("dataFolder"));
  auto* browse = new QToolButton(this);
  browse->setText(tr("…"));
  browse->setToolTip(tr("Choose the dataset folder"));
  auto* dataRow = new QHBoxLayout;
  dataRow->addWidget(data_, 1);
  dataRow->addWidget(browse);

  name_ = new QLineEdit(this);
  name_->setObjectName(QStringLiteral("runName"));
  name_->setPlaceholderText(tr("e.g. micro baseline (default: \"<preset> run\")"));
  steps_ = spin(1, 100000000, this);
  steps_->setObjectName(QStringLiteral("steps"));
  batch_ = spin(1, 65536, this);
  batch_->setObjectName(QStringLiteral("batchSize"));
  lr_ = new QLineEdit(this);
  lr_->setObjectName(QStringLiteral("learningRate"));
  lr_->setToolTip(tr("Peak learning rate, e.g. 1e-3"));
  warmup_ = spin(0, 100000000, this);
  warmup_->setObjectName(QStringLiteral("warmup"));
  rl_ = new QCheckBox(tr("GRPO stage (reinforcement learning on the traces)"), this);
  rl_->setObjectName(QStringLiteral("rl"));
  evalEvery_ = spin(0, 100000000, this);
  evalEvery_->setObjectName(QStringLiteral("evalEvery"));
  evalEvery_->setSpecialValueText(tr("only at the end"));
  checkpointEvery_ = spin(0, 100000000, this);
  checkpointEvery_->setObjectName(QStringLiteral("checkpointEvery"));
  checkpointEvery_->setSpecialValueText(tr("only at the end"));
  device_ = new QComboBox(this);
  device_->setObjectName(QStringLiteral("device"));
  device_->addItem(tr("CPU"), QStringLiteral("cpu"));
  if (torchCudaAvailable())
    device_->addItem(tr("CUDA"), QStringLiteral("cuda"));
  else
    device_->setToolTip(tr("This LibTorch build has no CUDA device: CPU only"));
  extra_ = new QLineEdit(this);
  extra_->setObjectName(QStringLiteral("extraSettings"));
  extra_->setPlaceholderText(tr("more key=value settings, space separated (e.g. threads=2)"));

  auto* form = new QFormLayout;
  form->addRow(tr("Preset"), preset_);
  form->addRow(tr("Dataset folder"), dataRow);
  form->addRow(tr("Name"), name_);
  form->addRow(tr("Steps"), steps_);
  form->addRow(tr("Batch size"), batch_);
  form->addRow(tr("Learning rate"), lr_);
  form->addRow(tr("Warm-up steps"), warmup_);
  form->addRow(QString(), rl_);
  form->addRow(tr("Evaluate every"), evalEvery_);
  form->addRow(tr("Checkpoint every"), checkpointEvery_);
  form->addRow(tr("Device"), device_);
  form->addRow(tr("Other settings"), extra_);

  errorLabel_ = new QLabel(this);
  errorLabel_->setObjectName(QStringLiteral("formError"));
  errorLabel_->setWordWrap(true);
  errorLabel_->setStyleSheet(QStringLiteral("color: %1").arg(themeColour::kBad));
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
  launch_ = buttons->addButton(tr("Launch"), QDialogButtonBox::AcceptRole);
  launch_->setObjectName(QStringLiteral("launch"));
  launch_->setDefault(true);
  connect(buttons, &QDialogButtonBox::accepted, this, [this] {
    if (canLaunch()) accept();
  });
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(errorLabel_);
  layout->addWidget(buttons);

  connect(preset_, &QComboBox::currentTextChanged, this, &NewRunDialog::presetChosen);
  connect(browse, &QToolButton::clicked, this, &NewRunDialog::browseData);
  for (QLineEdit* e : {data_, name_, lr_, extra_}) connect(e, &QLineEdit::textChanged, this, &NewRunDialog::validate);
  for (QSpinBox* s : {steps_, batch_, warmup_, evalEvery_, checkpointEvery_})
    connect(s, &QSpinBox::valueChanged, this, &NewRunDialog::validate);
  connect(rl_, &QCheckBox::toggled, this, &NewRunDialog::validate);
  connect(device_, &QComboBox::currentIndexChanged, this, &NewRunDialog::validate);

  setSettings(NewRunSettings::fromPreset(
      "micro", workspace.isNull() ? std::string() : workspace.demoDatasetDir().toStdString()));
}

NewRunSettings NewRunDialog::settings() const {
  NewRunSettings s;
  s.preset = preset_->currentText().toStdString();
  s.data = data_->text().trimmed().toStdString();
  s.name = name_->text().trimmed().toStdString();
  s.steps = steps_->value();
  s.batchSize = batch_->value();
  s.lr = lr_->text().trimmed().toStdString();
  s.warmupSteps = warmup_->value();
  s.rl = rl_->isChecked();
  s.evalEvery = evalEvery_->value();
  s.checkpointEvery = checkpointEvery_->value();
  s.device = device_->currentData().toString().toStdString();
  for (const QString& kv : extra_->text().split(QLatin1Char(' '), Qt::SkipEmptyParts))
    s.extra.push_back(kv.toStdString());
  return s;
}

void NewRunDialog::setSettings(const NewRunSettings& s) {
  filling_ = true;
  preset_->setCurrentText(QString::fromStdString(s.preset));
  data_->setText(QString::fromStdString(s.data));
  name_->setText(QString::fromStdString(s.name));
  steps_->setValue(int(std::min<int64_t>(s.steps, steps_->maximum())));
  batch_->setValue(s.batchSize);
  lr_->setText(QString::fromStdString(s.lr));
  warmup_->setValue(s.warmupSteps);
  rl_->setChecked(s.rl);
  evalEvery_->setValue(s.evalEvery);
  checkpointEvery_->setValue(s.checkpointEvery);
  const int device = device_->findData(QString::fromStdString(s.device));
  device_->setCurrentIndex(device < 0 ? 0 : device);
  QStringList extra;
  for (const auto& e : s.extra) extra << QString::fromStdString(e);
  extra_->setText(extra.join(QLatin1Char(' ')));
  filling_ = false;
  validate();
}

void NewRunDialog::presetChosen() {
  if (filling_) return;
  NewRunSettings s = NewRunSettings::fromPreset(preset_->currentText().toStdString(), settings().data);
  s.name = name_->text().toStdString();
  s.device = device_->currentData().toString().toStdString();
  s.extra = settings().extra;
  setSettings(s);
}

void NewRunDialog::browseData() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Dataset Folder"), data_->text());
  if (!dir.isEmpty()) data_->setText(QDir::toNativeSeparators(dir));
}

void NewRunDialog::validate() {
  if (filling_) return;
  error_ = QString::fromStdString(settings().validationError());
  errorLabel_->setText(error_);
  errorLabel_->setVisible(!error_.isEmpty());
  launch_->setEnabled(error_.isEmpty());
}

bool NewRunDialog::canLaunch() const { return error_.isEmpty(); }

}  // namespace moon
