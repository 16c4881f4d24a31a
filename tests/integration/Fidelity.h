#pragma once

// What Saleshandy must hold after a sync with the default mapping, computed from the GHL sandbox's
// data on its own terms: not through our Mapper, so that a defect of the mapper cannot hide itself.
// The rules are the README's promises, written out a second time:
// - contacts with a plausible email are prospects; those that share one (case-insensitively,
//   trimmed) are one prospect, whose fields come from the most recently updated of them, filled from
//   the others where it has none, whose tags are the union, and which has every task and every
//   non-empty note of every one of them;
// - no field that GHL has is blank in Saleshandy; a text longer than the field is cut with "…";
// - a phone number keeps its digits and its extension;
// - nothing is there twice.
#include "domain/Contact.h"
#include "domain/Json.h"
#include "sandbox/GhlService.h"
#include "sandbox/SaleshandyService.h"
#include "sandbox/Sandbox.h"

#include <QHash>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

namespace lb::fidelity {

inline bool plausibleEmail(const QString &email)
{
    // RFC 5322's dot-atom: no dot at either end of the local part, none doubled.
    static const QRegularExpression re(QStringLiteral("^[^@\\s.]+(\\.[^@\\s.]+)*@[^@\\s]+\\.[^@\\s]+$"));
    return re.match(email.trimmed()).hasMatch();
}

/// The contacts of one prospect, the one that gives the fields first.
struct ExpectedProspect
{
    QString email;
    QList<Contact> contacts;
};

inline QHash<QString, ExpectedProspect> expectedProspects(sandbox::Sandbox &box)
{
    QHash<QString, ExpectedProspect> out;
    for (const Contact &c : box.ghl().data().contacts()) {
        const QString email = c.email.trimmed().toLower();
        if (!plausibleEmail(email))
            continue;
        ExpectedProspect &p = out[email];
        p.email = email;
        p.contacts << c;
    }
    for (ExpectedProspect &p : out)
        std::sort(p.contacts.begin(), p.contacts.end(), [](const Contact &a, const Contact &b) {
            const qint64 x = json::toMs(a.dateUpdated), y = json::toMs(b.dateUpdated);
            if (x != y)
                return x > y;
            const qint64 ax = json::toMs(a.dateAdded), ay = json::toMs(b.dateAdded);
            return ax != ay ? ax < ay : a.id < b.id;
        });
    return out;
}

inline QString digitsOf(QStringView s)
{
    QString d;
    for (QChar c : s)
        if (c.isDigit())
            d += QChar(u'0' + c.digitValue());
    return d;
}

/// The part of a phone number before an extension, and the extension's digits.
inline std::pair<QString, QString> splitExtension(const QString &phone)
{
    static const QRegularExpression ext(QStringLiteral("(?:ext\\.?|extension|x|#)\\s*(\\d+)\\s*$"),
                                        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = ext.match(phone);
    if (!m.hasMatch())
        return {phone, {}};
    return {phone.left(m.capturedStart()), m.captured(1)};
}

/// Trimmed as the README promises: whitespace and the invisible format marks (zero-width space and
/// joiners, direction marks, BOM) that copy and paste leaves at the ends; nothing inside.
inline QString trimmedText(const QString &s)
{
    auto invisible = [](QChar c) { return c.isSpace() || c.category() == QChar::Other_Format; };
    qsizetype from = 0, to = s.size();
    while (from < to && invisible(s.at(from)))
        ++from;
    while (to > from && invisible(s.at(to - 1)))
        --to;
    return s.mid(from, to - from);
}

/// Why `got` is not a faithful Saleshandy copy of the GHL text `ghl` in a field of `limit`
/// characters; empty when it is.
inline QString textDifference(const QString &ghl, const QString &got, int limit)
{
    const QString want = trimmedText(ghl);
    if (want.isEmpty())
        return {};
    if (got.isEmpty())
        return QStringLiteral("blank, GHL has '%1'").arg(want.left(60));
    if (got == want)
        return {};
    const auto points = want.toUcs4().size();
    if (points > limit) {
        if (!got.endsWith(QStringLiteral("…")))
            return QStringLiteral("longer than %1 and not cut with an ellipsis").arg(limit);
        const QString kept = got.chopped(1);
        if (!want.startsWith(kept) || kept.toUcs4().size() < limit - 8)
            return QStringLiteral("cut wrongly: '%1…'").arg(kept.left(40));
        return {};
    }
    return QStringLiteral("'%1' instead of '%2'").arg(got.left(60), want.left(60));
}

inline QString phoneDifference(const QString &ghl, const QString &got)
{
    const QString want = ghl.trimmed();
    if (want.isEmpty())
        return {};
    if (got.trimmed().isEmpty())
        return QStringLiteral("phone blank, GHL has '%1'").arg(want);
    const auto [wantMain, wantExt] = splitExtension(want);
    const auto [gotMain, gotExt] = splitExtension(got);
    if (wantExt != gotExt)
        return QStringLiteral("phone '%1' lost the extension of '%2'").arg(got, want);
    // The subscriber's digits survive whatever is added in front (a calling code) or dropped (a
    // trunk 0): the last seven are the same.
    const QString a = digitsOf(wantMain), b = digitsOf(gotMain);
    if (a.right(7) != b.right(7))
        return QStringLiteral("phone '%1' does not keep the digits of '%2'").arg(got, want);
    return {};
}

/// Everything that differs between what Saleshandy holds and what it should, one line each.
/// `textLimit` is the default mapping's limit for text fields.
inline QStringList differences(sandbox::Sandbox &box, int textLimit = 255)
{
    QStringList out;
    const auto expected = expectedProspects(box);
    const sandbox::SaleshandyService &shs = box.saleshandy();

    QHash<QString, int> prospectsByEmail;
    for (const sandbox::ShProspectRecord &p : shs.prospects())
        ++prospectsByEmail[p.email.trimmed().toLower()];
    for (auto it = prospectsByEmail.cbegin(); it != prospectsByEmail.cend(); ++it) {
        if (it.value() > 1)
            out << QStringLiteral("%1: %2 prospects").arg(it.key()).arg(it.value());
        if (!expected.contains(it.key()))
            out << QStringLiteral("%1: a prospect GHL has no contact for").arg(it.key());
    }

    const QList<sandbox::ShTaskRecord> allTasks = shs.tasks();
    const QList<sandbox::ShNoteRecord> allNotes = shs.notes();
    QHash<QString, QList<const sandbox::ShTaskRecord *>> tasksOf;
    for (const sandbox::ShTaskRecord &t : allTasks)
        tasksOf[t.prospectId] << &t;
    QHash<QString, QList<const sandbox::ShNoteRecord *>> notesOf;
    for (const sandbox::ShNoteRecord &n : allNotes)
        notesOf[n.prospectId] << &n;

    for (const ExpectedProspect &e : expected) {
        const sandbox::ShProspectRecord *p = shs.prospectByEmail(e.email);
        if (!p) {
            out << QStringLiteral("%1: no prospect").arg(e.email);
            continue;
        }
        auto field = [&](auto get) {
            for (const Contact &c : e.contacts)
                if (const QString v = get(c); !v.trimmed().isEmpty())
                    return v;
            return QString();
        };
        const Contact &first = e.contacts.constFirst();
        auto check = [&](const char *label, const QString &ghl) {
            if (const QString why = textDifference(ghl, p->value(QLatin1String(label)), textLimit);
                !why.isEmpty())
                out << QStringLiteral("%1 (%2): %3 %4").arg(e.email, first.id, QLatin1String(label), why);
        };
        check("First Name", field([](const Contact &c) { return c.firstName; }));
        check("Last Name", field([](const Contact &c) { return c.lastName; }));
        check("Company", field([](const Contact &c) { return c.companyName; }));
        check("City", field([](const Contact &c) { return c.city; }));
        check("Country", field([](const Contact &c) { return c.country; }));
        check("GHL Contact ID", first.id);
        if (const QString why = phoneDifference(field([](const Contact &c) { return c.phone; }),
                                                p->value(QStringLiteral("Phone Number")));
            !why.isEmpty())
            out << QStringLiteral("%1 (%2): %3").arg(e.email, first.id, why);

        QStringList wantTags;
        int wantTasks = 0, wantNotes = 0;
        QStringList titles;
        for (const Contact &c : e.contacts) {
            for (const QString &t : c.tags)
                if (!t.trimmed().isEmpty())
                    wantTags << t.trimmed();
            const ContactChildren children = box.ghl().children(c.id);
            wantTasks += int(children.tasks.size());
            for (const Task &t : children.tasks)
                titles << t.title.trimmed().left(40);
            for (const Note &n : children.notes)
                if (!(n.title + n.body).trimmed().isEmpty())
                    ++wantNotes;
        }
        for (const QString &t : std::as_const(wantTags))
            if (!p->tags.contains(t))
                out << QStringLiteral("%1: tag '%2' missing").arg(e.email, t);
        const auto &tasks = tasksOf.value(p->id);
        if (tasks.size() != wantTasks)
            out << QStringLiteral("%1: %2 tasks, GHL has %3").arg(e.email).arg(tasks.size()).arg(wantTasks);
        for (const QString &title : std::as_const(titles))
            if (std::none_of(tasks.cbegin(), tasks.cend(),
                             [&](const sandbox::ShTaskRecord *t) { return t->note.startsWith(title); }))
                out << QStringLiteral("%1: no task for '%2'").arg(e.email, title);
        if (notesOf.value(p->id).size() != wantNotes)
            out << QStringLiteral("%1: %2 notes, GHL has %3")
                       .arg(e.email)
                       .arg(notesOf.value(p->id).size())
                       .arg(wantNotes);
    }
    return out;
}

} // namespace lb::fidelity
