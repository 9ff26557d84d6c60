// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/settingsdialog.h"

#include "ui/icons.h"
#include "ui/theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace cic {

namespace {

constexpr int DefaultRefreshSeconds = 60;

QString errorColour()
{
    return icons::resultColor(BuildResult::Failure, theme::isDark()).name();
}

QString okColour()
{
    return icons::resultColor(BuildResult::Success, theme::isDark()).name();
}

QStringList splitList(const QString &text)
{
    QStringList items;
    for (const QString &item : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString trimmed = item.trimmed();
        if (!trimmed.isEmpty())
            items.append(trimmed);
    }
    return items;
}

bool isEmptyValue(const QVariant &value)
{
    if (!value.isValid())
        return true;
    if (value.typeId() == QMetaType::QStringList)
        return value.toStringList().isEmpty();
    return value.toString().trimmed().isEmpty();
}

} // namespace

SettingsDialog::SettingsDialog(SettingsBackend *backend, QWidget *parent)
    : QDialog(parent)
    , m_backend(backend)
    , m_kinds(backend->kinds())
    , m_sources(backend->sources())
{
    setWindowTitle(tr("Settings"));
    resize(820, 540);

    // Sources.
    auto *sourcesPage = new QWidget(this);
    m_list = new QListWidget(sourcesPage);
    m_list->setMinimumWidth(200);
    m_addButton = new QPushButton(tr("Add"), sourcesPage);
    auto *addMenu = new QMenu(m_addButton);
    for (const SourceKind &kind : std::as_const(m_kinds))
        addMenu->addAction(kind.label, this, [this, id = kind.id] { addSource(id); });
    m_addButton->setMenu(addMenu);
    m_removeButton = new QPushButton(tr("Remove"), sourcesPage);

    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(m_addButton);
    listButtons->addWidget(m_removeButton);
    auto *left = new QVBoxLayout;
    left->setContentsMargins(0, 0, 0, 0);
    left->addWidget(m_list, 1);
    left->addLayout(listButtons);
    auto *leftWidget = new QWidget(sourcesPage);
    leftWidget->setLayout(left);

    m_editorHost = new QWidget(sourcesPage);
    m_testButton = new QPushButton(tr("Test Connection"), sourcesPage);
    m_testResult = new QLabel(sourcesPage);
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_testButton);
    testRow->addWidget(m_testResult, 1);
    auto *right = new QVBoxLayout;
    right->addWidget(m_editorHost);
    right->addLayout(testRow);
    right->addStretch();
    auto *rightWidget = new QWidget(sourcesPage);
    rightWidget->setLayout(right);

    auto *splitter = new QSplitter(sourcesPage);
    splitter->addWidget(leftWidget);
    splitter->addWidget(rightWidget);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto *where = new QLabel(
        tr("Saves to <code>%1</code>").arg(m_backend->location().toHtmlEscaped()), sourcesPage);
    where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problems = new QLabel(sourcesPage);
    m_problems->setWordWrap(true);
    auto *sourcesLayout = new QVBoxLayout(sourcesPage);
    sourcesLayout->addWidget(splitter, 1);
    sourcesLayout->addWidget(m_problems);
    sourcesLayout->addWidget(where);

    // How the window behaves.
    auto *windowPage = new QWidget(this);
    QSettings settings;
    m_theme = new QComboBox(windowPage);
    m_theme->addItem(tr("Follow the system"), QStringLiteral("system"));
    m_theme->addItem(tr("Light"), QStringLiteral("light"));
    m_theme->addItem(tr("Dark"), QStringLiteral("dark"));
    m_theme->setCurrentIndex(qMax(0,
                                  m_theme->findData(theme::modeToString(theme::modeFromString(
                                      settings.value(QStringLiteral("theme")).toString())))));
    m_refresh = new QSpinBox(windowPage);
    m_refresh->setRange(0, 24 * 3600);
    m_refresh->setSuffix(tr(" s"));
    m_refresh->setSpecialValueText(tr("Only on demand (F5)"));
    m_refresh->setValue(
        settings.value(QStringLiteral("refresh/intervalSeconds"), DefaultRefreshSeconds).toInt());
    auto *windowForm = new QFormLayout(windowPage);
    windowForm->addRow(tr("Theme:"), m_theme);
    windowForm->addRow(tr("Refresh watched sources every:"), m_refresh);

    auto *tabs = new QTabWidget(this);
    tabs->addTab(sourcesPage, tr("Sources"));
    tabs->addTab(windowPage, tr("Window"));

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs, 1);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(m_removeButton, &QPushButton::clicked, this, [this] { removeSource(currentRow()); });
    connect(m_testButton, &QPushButton::clicked, this, &SettingsDialog::testSelectedConnection);
    connect(m_list, &QListWidget::currentRowChanged, this, [this] {
        m_testResult->clear();
        rebuildEditor();
        updateState();
    });

    for (int row = 0; row < m_sources.size(); ++row) {
        m_list->addItem(QString());
        updateListItem(row);
    }
    if (!m_sources.isEmpty())
        m_list->setCurrentRow(0);
    rebuildEditor();
    updateState();
}

const SourceKind *SettingsDialog::kindOf(const QString &id) const
{
    for (const SourceKind &kind : m_kinds) {
        if (kind.id == id)
            return &kind;
    }
    return nullptr;
}

QList<SourceSettings> SettingsDialog::sources() const
{
    return m_sources;
}

int SettingsDialog::currentRow() const
{
    return m_list->currentRow();
}

void SettingsDialog::selectSource(int row)
{
    m_list->setCurrentRow(row);
}

QString SettingsDialog::freeName(const QString &base) const
{
    QString name = base;
    for (int n = 2;; ++n) {
        const bool taken = std::any_of(m_sources.begin(), m_sources.end(),
                                       [&](const SourceSettings &s) { return s.name() == name; });
        if (!taken)
            return name;
        name = QStringLiteral("%1-%2").arg(base).arg(n);
    }
}

int SettingsDialog::addSource(const QString &kindId)
{
    const SourceKind *kind = kindOf(kindId);
    if (!kind)
        return -1;

    SourceSettings source;
    source.kind = kind->id;
    for (const SourceField &field : kind->fields) {
        if (field.defaultValue.isValid())
            source.values.insert(field.key, field.defaultValue);
    }
    source.values.insert(QStringLiteral("name"), freeName(kind->id));
    m_sources.append(source);
    m_list->addItem(QString());
    const int row = int(m_sources.size()) - 1;
    updateListItem(row);
    m_list->setCurrentRow(row);
    return row;
}

void SettingsDialog::removeSource(int row)
{
    if (row < 0 || row >= m_sources.size())
        return;
    m_sources.removeAt(row);
    delete m_list->takeItem(row);
    rebuildEditor();
    updateState();
}

void SettingsDialog::updateListItem(int row)
{
    QListWidgetItem *item = m_list->item(row);
    if (!item)
        return;
    const SourceSettings &source = m_sources[row];
    const SourceKind *kind = kindOf(source.kind);
    const QString name = source.name().isEmpty() ? tr("(no name)") : source.name();
    item->setText(QStringLiteral("%1\n%2").arg(name, kind ? kind->label : source.kind));
    item->setIcon(icons::named(QStringLiteral("server")));
}

QWidget *SettingsDialog::editorFor(const SourceField &field, const QVariant &value)
{
    const int row = currentRow();
    auto store = [this, row, key = field.key](const QVariant &v) {
        if (row < 0 || row >= m_sources.size())
            return;
        m_sources[row].values.insert(key, v);
        updateListItem(row);
        updateState();
    };

    switch (field.type) {
    case SourceField::Type::Bool: {
        auto *box = new QCheckBox(m_editorHost);
        box->setChecked(value.toBool());
        connect(box, &QCheckBox::toggled, this, [store](bool on) { store(on); });
        return box;
    }
    case SourceField::Type::Number: {
        auto *spin = new QSpinBox(m_editorHost);
        spin->setRange(0, 1'000'000'000);
        spin->setValue(value.toInt());
        connect(spin, &QSpinBox::valueChanged, this, [store](int v) { store(v); });
        return spin;
    }
    case SourceField::Type::List: {
        auto *edit = new QLineEdit(value.toStringList().join(QStringLiteral(", ")), m_editorHost);
        edit->setPlaceholderText(tr("comma-separated; empty for all"));
        connect(edit, &QLineEdit::textEdited, this,
                [store](const QString &text) { store(splitList(text)); });
        return edit;
    }
    case SourceField::Type::Secret: {
        auto *edit = new QLineEdit(value.toString(), m_editorHost);
        edit->setEchoMode(QLineEdit::Password);
        edit->setPlaceholderText(tr("value, ${ENV_VAR} or keychain:entry"));
        QAction *reveal = edit->addAction(QIcon::fromTheme(QStringLiteral("view-visible")),
                                          QLineEdit::TrailingPosition);
        reveal->setCheckable(true);
        reveal->setToolTip(tr("Show"));
        connect(reveal, &QAction::toggled, edit, [edit](bool shown) {
            edit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        });
        connect(edit, &QLineEdit::textEdited, this, [store](const QString &text) { store(text); });
        return edit;
    }
    case SourceField::Type::Text:
    case SourceField::Type::Url:
    case SourceField::Type::Path: {
        auto *edit = new QLineEdit(value.toString(), m_editorHost);
        if (field.type == SourceField::Type::Url)
            edit->setPlaceholderText(QStringLiteral("https://"));
        connect(edit, &QLineEdit::textEdited, this,
                [store](const QString &text) { store(text.trimmed()); });
        return edit;
    }
    }
    return nullptr;
}

void SettingsDialog::rebuildEditor()
{
    // A fresh form each time: kinds have different fields.
    delete m_form;
    qDeleteAll(m_editorHost->findChildren<QWidget *>(Qt::FindDirectChildrenOnly));
    m_editors.clear();
    m_form = new QFormLayout(m_editorHost);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    const int row = currentRow();
    m_testButton->setEnabled(row >= 0);
    m_removeButton->setEnabled(row >= 0);
    if (row < 0 || row >= m_sources.size()) {
        m_form->addRow(new QLabel(m_sources.isEmpty()
                                      ? tr("No sources yet: the window shows the bundled demo "
                                           "data. Add a Jenkins, GitLab, GitHub Actions, Buildbot "
                                           "or fixture source.")
                                      : tr("Select a source to edit it."),
                                  m_editorHost));
        return;
    }

    const SourceSettings &source = m_sources[row];
    const SourceKind *kind = kindOf(source.kind);
    if (!kind) {
        m_form->addRow(new QLabel(
            tr("This kind of source (%1) is edited in the file.").arg(source.kind), m_editorHost));
        return;
    }
    for (const SourceField &field : kind->fields) {
        QWidget *editor = editorFor(field, source.values.value(field.key, field.defaultValue));
        editor->setObjectName(field.key);
        m_editors.insert(field.key, editor);
        const QString label = field.required ? field.label + QStringLiteral(" *:")
                                             : field.label + QStringLiteral(":");
        if (field.help.isEmpty()) {
            m_form->addRow(label, editor);
            continue;
        }
        auto *box = new QWidget(m_editorHost);
        auto *boxLayout = new QVBoxLayout(box);
        boxLayout->setContentsMargins(0, 0, 0, 0);
        boxLayout->setSpacing(1);
        editor->setParent(box);
        boxLayout->addWidget(editor);
        auto *help = new QLabel(field.help, box);
        help->setWordWrap(true);
        QFont small = help->font();
        small.setPointSizeF(small.pointSizeF() * 0.9);
        help->setFont(small);
        help->setForegroundRole(QPalette::PlaceholderText);
        boxLayout->addWidget(help);
        m_form->addRow(label, box);
    }
}

void SettingsDialog::setFieldValue(const QString &key, const QVariant &value)
{
    const int row = currentRow();
    if (row < 0)
        return;
    m_sources[row].values.insert(key, value);
    updateListItem(row);
    rebuildEditor();
    updateState();
}

QStringList SettingsDialog::problems() const
{
    QStringList problems;
    QHash<QString, int> names;
    for (int i = 0; i < m_sources.size(); ++i) {
        const SourceSettings &source = m_sources[i];
        const QString name = source.name().trimmed();
        const QString who = name.isEmpty() ? tr("Source %1").arg(i + 1) : name;
        if (name.isEmpty())
            problems.append(tr("%1 has no name.").arg(who));
        else if (names.contains(name))
            problems.append(tr("\"%1\" names two sources; names must be unique.").arg(name));
        names.insert(name, i);

        const SourceKind *kind = kindOf(source.kind);
        if (!kind)
            continue;
        for (const SourceField &field : kind->fields) {
            if (field.key == QLatin1String("name"))
                continue;
            const QVariant value = source.values.value(field.key);
            if (field.required && isEmptyValue(value)) {
                problems.append(tr("%1: %2 is required.").arg(who, field.label));
                continue;
            }
            if (field.type == SourceField::Type::Url && !isEmptyValue(value)) {
                const QUrl url(value.toString(), QUrl::StrictMode);
                if (!url.isValid()
                    || (url.scheme() != QLatin1String("http")
                        && url.scheme() != QLatin1String("https"))
                    || url.host().isEmpty())
                    problems.append(
                        tr("%1: %2 must be an http:// or https:// address.").arg(who, field.label));
            }
        }
    }
    return problems;
}

void SettingsDialog::updateState()
{
    const QStringList list = problems();
    m_problems->setVisible(!list.isEmpty());
    m_problems->setText(
        QStringLiteral("<span style=\"color:%1\">%2</span>")
            .arg(errorColour(),
                 list.join(QStringLiteral("<br>"))
                     .toHtmlEscaped()
                     .replace(QStringLiteral("&lt;br&gt;"), QStringLiteral("<br>"))));
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(list.isEmpty());
}

void SettingsDialog::testSelectedConnection()
{
    const int row = currentRow();
    if (row < 0)
        return;
    const quint64 request = ++m_testRequest;
    m_testResult->setText(tr("Connecting…"));
    m_testButton->setEnabled(false);
    m_backend->testConnection(m_sources[row]).then(this, [this, request](Result<QString> result) {
        if (request != m_testRequest)
            return;
        m_testButton->setEnabled(currentRow() >= 0);
        const bool ok = result.ok();
        const QString message = ok ? result.value() : result.error();
        m_testResult->setText(QStringLiteral("<span style=\"color:%1\">%2</span>")
                                  .arg(ok ? okColour() : errorColour(), message.toHtmlEscaped()));
        Q_EMIT connectionTested(ok, message);
    });
}

QString SettingsDialog::connectionResult() const
{
    return m_testResult->text();
}

bool SettingsDialog::save()
{
    if (!problems().isEmpty())
        return false;
    const Result<bool> result = m_backend->save(m_sources);
    if (!result) {
        m_problems->setVisible(true);
        m_problems->setText(
            QStringLiteral("<span style=\"color:%1\">%2</span>")
                .arg(errorColour(), tr("Not saved: %1").arg(result.error()).toHtmlEscaped()));
        return false;
    }
    Q_EMIT saved();
    return true;
}

void SettingsDialog::accept()
{
    QSettings settings;
    settings.setValue(QStringLiteral("theme"), m_theme->currentData().toString());
    settings.setValue(QStringLiteral("refresh/intervalSeconds"), m_refresh->value());
    if (save())
        QDialog::accept();
}

} // namespace cic
