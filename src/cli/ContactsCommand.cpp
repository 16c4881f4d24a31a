#include "Cli.h"

#include "domain/Json.h"
#include "store/ContactStore.h"
#include "store/Database.h"

#include <QJsonArray>
#include <QLocale>

namespace lb::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("lb::cli::Contacts", text);
}

QString cell(QString text, int width)
{
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    if (text.size() > width)
        return text.left(width - 1) + QChar(0x2026);
    return text.leftJustified(width);
}

QString when(const QDateTime &dt)
{
    return dt.isValid() ? QLocale::c().toString(dt.toUTC(), QStringLiteral("yyyy-MM-dd HH:mm")) + QStringLiteral(" UTC")
                        : QStringLiteral("-");
}

int list(Context &ctx, QCommandLineParser &parser, const QCommandLineOption &location,
         const QCommandLineOption &search, const QCommandLineOption &limit, const QCommandLineOption &offset)
{
    Database *db = ctx.database();
    if (!db)
        return ExitUsage;
    ContactStore store(*db);
    ContactQuery query;
    query.locationId = parser.value(location);
    query.search = parser.value(search);
    bool ok = true;
    query.limit = parser.isSet(limit) ? parser.value(limit).toInt(&ok) : 50;
    if (!ok || query.limit <= 0) {
        Context::err(tr("--limit needs a positive number."));
        return ExitUsage;
    }
    query.offset = parser.isSet(offset) ? parser.value(offset).toInt(&ok) : 0;
    if (!ok || query.offset < 0) {
        Context::err(tr("--offset needs a number of 0 or more."));
        return ExitUsage;
    }
    const QList<Contact> contacts = store.contacts(query);
    const int total = store.countContacts(query);
    if (!store.error().isEmpty()) {
        Context::err(store.error());
        return ExitUsage;
    }
    if (ctx.json()) {
        QJsonArray items;
        for (const Contact &c : contacts)
            items.append(c.toJson());
        Context::outJson(QJsonObject{{QStringLiteral("total"), total}, {QStringLiteral("contacts"), items}});
        return ExitOk;
    }
    Context::out(cell(tr("ID"), 22) + cell(tr("Name"), 26) + cell(tr("Email"), 32) + cell(tr("Phone"), 17) +
                 cell(tr("Company"), 22) + tr("Tags"));
    for (const Contact &c : contacts)
        Context::out(cell(c.id, 22) + cell(c.displayName(), 26) + cell(c.email, 32) + cell(c.phone, 17) +
                     cell(c.companyName, 22) + c.tags.join(QStringLiteral(", ")));
    Context::out(tr("%1 of %2 contacts shown.").arg(contacts.size()).arg(total));
    return ExitOk;
}

int show(Context &ctx, const QString &id)
{
    Database *db = ctx.database();
    if (!db)
        return ExitUsage;
    ContactStore store(*db);
    const std::optional<Contact> contact = store.contact(id);
    if (!contact) {
        Context::err(store.error().isEmpty()
                         ? tr("There is no contact %1 in the local store. Run 'leadbridge-cli pull' first?").arg(id)
                         : store.error());
        return ExitRecordsFailed;
    }
    const QList<Task> tasks = store.tasks(id);
    const QList<Note> notes = store.notes(id);
    const QList<Appointment> appointments = store.appointments(id);
    QHash<QString, CustomField> definitions;
    for (const CustomField &f : store.customFields(contact->locationId))
        definitions.insert(f.id, f);

    if (ctx.json()) {
        QJsonObject o = contact->toJson();
        QJsonArray t, n, a;
        for (const Task &x : tasks)
            t.append(x.toJson());
        for (const Note &x : notes)
            n.append(x.toJson());
        for (const Appointment &x : appointments)
            a.append(x.toJson());
        o.insert(QStringLiteral("tasks"), t);
        o.insert(QStringLiteral("notes"), n);
        o.insert(QStringLiteral("appointments"), a);
        Context::outJson(o);
        return ExitOk;
    }
    const Contact &c = *contact;
    auto line = [](const QString &label, const QString &value) {
        if (!value.isEmpty())
            Context::out(cell(label, 16) + value);
    };
    line(tr("Name"), c.displayName());
    line(tr("ID"), c.id);
    line(tr("Email"), c.email);
    line(tr("Phone"), c.phone);
    line(tr("Company"), c.companyName);
    line(tr("Address"), QStringList{c.address1, c.city, c.state, c.postalCode, c.country}.filter(QRegularExpression(QStringLiteral("."))).join(QStringLiteral(", ")));
    line(tr("Website"), c.website);
    line(tr("Source"), c.source);
    line(tr("Tags"), c.tags.join(QStringLiteral(", ")));
    line(tr("Do not disturb"), c.dnd ? tr("yes") : QString());
    line(tr("Added"), when(c.dateAdded));
    line(tr("Updated"), when(c.dateUpdated));
    for (const CustomFieldValue &v : c.customFields) {
        const auto def = definitions.constFind(v.fieldId);
        QString value = v.displayText();
        if (value.size() > 200)
            value = value.left(200) + tr("… (%1 characters)").arg(v.displayText().size());
        line(def != definitions.constEnd() ? def->name : v.fieldId, value);
    }
    Context::out(QString());
    Context::out(tr("Tasks (%1)").arg(tasks.size()));
    for (const Task &t : tasks)
        Context::out(QStringLiteral("  [%1] %2  %3").arg(t.completed ? QStringLiteral("x") : QStringLiteral(" "),
                                                          cell(t.title, 40), tr("due %1").arg(when(t.dueDate))));
    Context::out(tr("Notes (%1)").arg(notes.size()));
    for (const Note &n : notes)
        Context::out(QStringLiteral("  %1  %2").arg(when(n.dateAdded), cell(n.body, 80).trimmed()));
    Context::out(tr("Appointments (%1)").arg(appointments.size()));
    for (const Appointment &a : appointments)
        Context::out(QStringLiteral("  %1  %2  %3").arg(when(a.startTime), cell(a.title, 40), a.appointmentStatus));
    return ExitOk;
}

} // namespace

int runContacts(Context &ctx)
{
    QCommandLineParser parser;
    const QCommandLineOption location(QStringLiteral("location"), tr("Only this GHL location's contacts."), tr("id"));
    const QCommandLineOption search(QStringLiteral("search"), tr("Only contacts whose name, email, phone, company or tags contain this text."),
                                    tr("text"));
    const QCommandLineOption limit(QStringLiteral("limit"), tr("At most this many contacts (default 50)."), tr("n"));
    const QCommandLineOption offset(QStringLiteral("offset"), tr("Skip this many contacts first."), tr("n"));
    parser.addOptions({location, search, limit, offset});
    parser.addPositionalArgument(QStringLiteral("action"), tr("list, or show ID"));
    int code = ExitOk;
    if (!ctx.parse(parser, tr("Lists and shows contacts from the local store (no network)."), &code,
                   QStringLiteral(" list|show ID")))
        return code;
    const QStringList pos = parser.positionalArguments();
    if (pos.value(0) == QLatin1String("list") && pos.size() == 1)
        return list(ctx, parser, location, search, limit, offset);
    if (pos.value(0) == QLatin1String("show") && pos.size() == 2)
        return show(ctx, pos.at(1));
    Context::err(tr("Use 'contacts list' or 'contacts show ID'."));
    return ExitUsage;
}

} // namespace lb::cli
