// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/settingsbackend.h"

#include <QDialog>
#include <QHash>

class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QWidget;

namespace cic {

// Settings: the sources of the configuration file (add, edit, remove, test a connection,
// saved atomically through the backend), and how the window behaves (theme, refresh interval).
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    explicit SettingsDialog(SettingsBackend *backend, QWidget *parent = nullptr);

    // The sources as edited so far.
    QList<SourceSettings> sources() const;

    // Adds a source of a kind with a free name and selects it; returns its row.
    int addSource(const QString &kind);
    void removeSource(int row);
    void selectSource(int row);
    int currentRow() const;

    // Sets a field of the selected source, as typing in its editor does.
    void setFieldValue(const QString &key, const QVariant &value);

    // Empty when the sources can be saved; else what to fix, one problem a line.
    QStringList problems() const;

    void testSelectedConnection();
    QString connectionResult() const;

    // Saves through the backend; false with the message shown when it refused.
    bool save();

Q_SIGNALS:
    void connectionTested(bool ok, const QString &message);
    void saved();

public Q_SLOTS:
    void accept() override;

private:
    const SourceKind *kindOf(const QString &id) const;
    void rebuildEditor();
    void updateListItem(int row);
    void updateState();
    QString freeName(const QString &base) const;
    QWidget *editorFor(const SourceField &field, const QVariant &value);

    SettingsBackend *m_backend;
    QList<SourceKind> m_kinds;
    QList<SourceSettings> m_sources;

    QListWidget *m_list;
    QPushButton *m_addButton;
    QPushButton *m_removeButton;
    QPushButton *m_testButton;
    QLabel *m_testResult;
    QWidget *m_editorHost;
    QFormLayout *m_form = nullptr;
    QHash<QString, QWidget *> m_editors;
    QLabel *m_problems;
    QComboBox *m_theme;
    QSpinBox *m_refresh;
    QDialogButtonBox *m_buttons;
    quint64 m_testRequest = 0;
};

} // namespace cic
