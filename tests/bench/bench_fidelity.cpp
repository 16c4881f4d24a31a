// How faithfully one sync copies the sandbox's hostile data into Saleshandy, compared field by field
// with what GHL has (tests/integration/Fidelity.h). Prints figures; run by hand:
// FIG_CONTACTS=2000 QT_QPA_PLATFORM=offscreen bench_fidelity
#include "SyncFixture.h"
#include "sandbox/SaleshandyService.h"
#include <QtTest>
using namespace lb;
class TestFigures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void figures()
    {
        const int n = qEnvironmentVariableIntValue("FIG_CONTACTS")
                          ? qEnvironmentVariableIntValue("FIG_CONTACTS")
                          : 2000;
        Fixture f(n);
        QVERIFY(f.ok);
        auto run = f.sync();
        const QStringList wrong = fidelity::differences(*f.box);
        const auto expected = fidelity::expectedProspects(*f.box);
        QSet<QString> badProspects;
        QMap<QString, int> byClass;
        for (const QString &w : wrong) {
            badProspects.insert(w.section(QLatin1Char(' '), 0, 0).section(QLatin1Char(':'), 0, 0));
            QString cls = w.contains(QLatin1String("blank"))            ? QStringLiteral("blank")
                          : w.contains(QLatin1String("tasks, GHL has")) ? QStringLiteral("task count")
                          : w.contains(QLatin1String("notes, GHL has")) ? QStringLiteral("note count")
                          : w.contains(QLatin1String("no task for"))    ? QStringLiteral("task missing")
                          : w.contains(QLatin1String("extension"))      ? QStringLiteral("extension lost")
                          : w.contains(QLatin1String("no prospect"))    ? QStringLiteral("no prospect")
                          : w.contains(QLatin1String("tag"))            ? QStringLiteral("tag missing")
                                                                        : QStringLiteral("other");
            ++byClass[cls];
        }
        int tasks = 0, notes = 0;
        for (const auto &e : expected)
            for (const Contact &c : e.contacts) {
                const ContactChildren ch = f.box->ghl().children(c.id);
                tasks += int(ch.tasks.size());
                for (const Note &nn : ch.notes)
                    if (!(nn.title + nn.body).trimmed().isEmpty())
                        ++notes;
            }
        qInfo().noquote() << "FIGURES contacts" << n << "prospects expected" << expected.size()
                          << "prospects with a difference" << badProspects.size() << "differences"
                          << wrong.size() << "tasks expected" << tasks << "in Saleshandy"
                          << f.box->saleshandy().tasks().size() << "notes expected" << notes
                          << "in Saleshandy" << f.box->saleshandy().notes().size() << "exit"
                          << run->exitCode();
        for (auto it = byClass.cbegin(); it != byClass.cend(); ++it)
            qInfo().noquote() << "FIGURES" << it.key() << it.value();
        qInfo().noquote() << "FIGURES summary"
                          << QJsonDocument(run->summary()).toJson(QJsonDocument::Compact);
        for (const QString &w : wrong.mid(0, 12))
            qInfo().noquote() << "FIGURES e.g." << w;
    }
};
QTEST_GUILESS_MAIN(TestFigures)
#include "bench_fidelity.moc"
