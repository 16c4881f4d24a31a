#include "sandbox/GhlData.h"

#include "domain/Json.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>

namespace lb::sandbox {

namespace {

constexpr qint64 msPerDay = 24LL * 60 * 60 * 1000;
constexpr qint64 msPerMinute = 60LL * 1000;

struct Country
{
    const char *code;
    const char *dialPrefix;
    int localDigits;
    const char *timezone;
    std::initializer_list<const char *> cities;
};

// Names come as "display|ascii": the ascii part builds plausible email addresses for any script.
struct Culture
{
    int weight;
    std::initializer_list<const char *> firstNames;
    std::initializer_list<const char *> lastNames;
    std::initializer_list<const char *> countries;
};

const Country kCountries[] = {
    {"US", "1", 10, "America/New_York", {"New York", "Austin", "Chicago", "San José", "Coeur d'Alene"}},
    {"GB", "44", 10, "Europe/London", {"London", "Manchester", "Edinburgh"}},
    {"DE", "49", 10, "Europe/Berlin", {"Berlin", "München", "Köln", "Düsseldorf"}},
    {"FR", "33", 9, "Europe/Paris", {"Paris", "Lyon", "Besançon"}},
    {"ES", "34", 9, "Europe/Madrid", {"Madrid", "Sevilla", "A Coruña"}},
    {"PL", "48", 9, "Europe/Warsaw", {"Kraków", "Łódź", "Gdańsk"}},
    {"TR", "90", 10, "Europe/Istanbul", {"İstanbul", "İzmir"}},
    {"DK", "45", 8, "Europe/Copenhagen", {"København", "Århus"}},
    {"BR", "55", 11, "America/Sao_Paulo", {"São Paulo", "Florianópolis"}},
    {"VN", "84", 9, "Asia/Ho_Chi_Minh", {"Hà Nội", "Đà Nẵng"}},
    {"RU", "7", 10, "Europe/Moscow", {"Москва", "Санкт-Петербург"}},
    {"GR", "30", 10, "Europe/Athens", {"Αθήνα", "Θεσσαλονίκη"}},
    {"EG", "20", 10, "Africa/Cairo", {"القاهرة", "الإسكندرية"}},
    {"IL", "972", 9, "Asia/Jerusalem", {"תל אביב", "ירושלים"}},
    {"CN", "86", 11, "Asia/Shanghai", {"北京", "上海"}},
    {"JP", "81", 10, "Asia/Tokyo", {"東京", "大阪"}},
    {"KR", "82", 9, "Asia/Seoul", {"서울", "부산"}},
    {"IN", "91", 10, "Asia/Kolkata", {"मुंबई", "Bengaluru", "दिल्ली"}},
    {"TH", "66", 9, "Asia/Bangkok", {"กรุงเทพมหานคร", "เชียงใหม่"}},
};

const Culture kCultures[] = {
    {35,
     {"James|james", "Mary|mary", "John|john", "Patricia|patricia", "Robert|robert", "Jennifer|jennifer",
      "Michael|michael", "Linda|linda", "David|david", "Sarah|sarah", "Emily|emily", "Daniel|daniel",
      "Chris|chris", "Jo|jo", "Mary-Kate|marykate"},
     {"Smith|smith", "Johnson|johnson", "Williams|williams", "Brown|brown", "O'Brien|obrien",
      "O'Connor|oconnor", "McDonald|mcdonald", "Taylor|taylor", "Lee|lee", "St. John|stjohn",
      "Smith-Jones|smithjones"},
     {"US", "GB"}},
    {25,
     {"José|jose", "María|maria", "François|francois", "Zoë|zoe", "Søren|soren", "Łukasz|lukasz", "Ümit|umit",
      "Željko|zeljko", "Ángela|angela", "Björn|bjorn", "Chloé|chloe", "João|joao", "Thị Hương|huong",
      "Renée|renee"},
     {"Müller|muller", "García|garcia", "Nguyễn|nguyen", "Dvořák|dvorak", "Kowalczyk|kowalczyk",
      "Öztürk|ozturk", "Fernández|fernandez", "D'Angelo|dangelo", "van der Berg|vanderberg",
      "Ærøskøbing|aeroskobing", "Gonçalves|goncalves", "Weiß|weiss"},
     {"DE", "FR", "ES", "PL", "TR", "DK", "BR", "VN"}},
    {6,
     {"Иван|ivan", "Ольга|olga", "Дмитрий|dmitry", "Наталья|natalya", "Юрий|yuri"},
     {"Петров|petrov", "Смирнова|smirnova", "Кузнецов|kuznetsov", "Соловьёв|solovyov"},
     {"RU"}},
    {4,
     {"Γιώργος|giorgos", "Ελένη|eleni", "Νίκος|nikos"},
     {"Παπαδόπουλος|papadopoulos", "Κωνσταντίνου|konstantinou"},
     {"GR"}},
    {6,
     {"محمد|mohammed", "فاطمة|fatima", "أحمد|ahmed", "ليلى|layla"},
     {"العلي|alali", "حداد|haddad", "منصور|mansour"},
     {"EG"}},
    {4, {"דוד|david", "שרה|sarah", "נועה|noa"}, {"כהן|cohen", "לוי|levi", "מזרחי|mizrahi"}, {"IL"}},
    {10,
     {"伟|wei", "芳|fang", "翔太|shota", "さくら|sakura", "민준|minjun", "서연|seoyeon", "陽菜|hina"},
     {"王|wang", "李|li", "佐藤|sato", "鈴木|suzuki", "김|kim", "박|park"},
     {"CN", "JP", "KR"}},
    {5,
     {"आरव|aarav", "प्रिया|priya", "Ananya|ananya", "विकास|vikas"},
     {"शर्मा|sharma", "पटेल|patel", "Iyer|iyer"},
     {"IN"}},
    {5, {"สมชาย|somchai", "สุดา|suda", "ณัฐ|nat"}, {"ศรีสุข|srisuk", "วงศ์ไทย|wongthai"}, {"TH"}},
};

const char *const kCompanies[] = {"Acme Corp",
                                  "Globex GmbH",
                                  "Müller & Söhne KG",
                                  "Société Générale de Café",
                                  "Initech LLC",
                                  "ООО «Ромашка»",
                                  "株式会社サンプル",
                                  "Pizza 🍕 Palace",
                                  "O'Reilly's Pub",
                                  "\"Best\" Widgets Inc.",
                                  "Tech <Solutions> & Co",
                                  "Umbrella Corp.",
                                  "Stark Industries",
                                  "Wayne Enterprises",
                                  "شركة النور",
                                  "חברת אור",
                                  "Βιομηχανία Α.Ε.",
                                  "ธนาคารไทย",
                                  "टाटा ट्रेडर्स",
                                  "Hooli",
                                  "Vandelay Industries",
                                  "Dunder Mifflin",
                                  "Cyberdyne Systems",
                                  "Soylent, Inc.",
                                  "Los Pollos Hermanos"};

const char *const kTags[] = {"lead",         "customer",   "vip",        "newsletter",
                             "webinar-2025", "trade show", "hot",        "cold",
                             "follow-up",    "partner",    "Übernahme",  "タグ",
                             "needs review", "🔥 priority", "churn-risk", "Q3 campaign"};

const char *const kStreets[] = {"Main St",    "Hauptstraße", "Rue de la Paix", "Calle Mayor",
                                "Elm Street", "ul. Długa",   "Baker Street",   "Av. Paulista"};
const char *const kDomains[] = {"example.com", "example.org", "example.net", "mail.example", "corp.example"};
const char *const kSources[] = {"website", "facebook", "referral", "import", "api", "manual", "Zapier"};
const char *const kInvalidEmails[] = {"foo@",
                                      "no at sign",
                                      "john doe@example.com",
                                      "@example.com",
                                      "jane@@example.com",
                                      "trailing.dot.@example.com",
                                      "  spaced@example.com  ",
                                      "name@localhost"};

const char *const kTaskTitles[] = {"Call back",           "Send proposal",
                                   "Follow up on quote",  "Schedule demo",
                                   "Rückruf vereinbaren", "Envoyer le devis",
                                   "「見積もり」を送る",  "Check \"urgent\" request",
                                   "Renew contract 📄",    "Ask about O'Brien's order"};
const char *const kTaskBodies[] = {"",
                                   "Discuss pricing for the annual plan.",
                                   "Line one\nLine two\n\nAfter a blank line.",
                                   "Customer asked: \"Can we get a discount?\"",
                                   "Prefers WhatsApp 📱 after 6pm",
                                   "Позвонить после обеда",
                                   "<b>HTML-ish</b> & ampersands"};
const char *const kNoteBodies[] = {"Met at the trade show, very interested.",
                                   "Left voicemail.\nWill try again next week.",
                                   "Quote: \"we'll decide by Friday\"",
                                   "Zahlt per Überweisung.",
                                   "日本語のメモ：来週連絡する",
                                   "ملاحظة: العميل مهتم",
                                   "Emoji test 🎉🎉🎉",
                                   "Tab\tseparated\tvalues",
                                   ""};
const char *const kApptTitles[] = {"Discovery call",    "Demo",          "Onboarding", "Quarterly review",
                                   "Beratungsgespräch", "Café ☕ meeting"};
const char *const kApptAddresses[] = {"Zoom", "https://meet.example.com/abc-defg-hij", "12 Main St, Austin",
                                      "Hauptstraße 5, 10115 Berlin", ""};
const char *const kLargeTexts[] = {
    "Long-time customer. Prefers email over phone.",
    "Notes from import:\n- line one\n- line two\n\n\"quoted\" and 'single' and emoji 🚀",
    "Mehrzeiliger Text mit Umlauten: äöü ÄÖÜ ß.",
    "مرحبا بكم — right-to-left text with a Latin word inside.",
    "多言語テキスト。中文也可以。한국어도 가능합니다.",
};

QString pickStr(QRandomGenerator &r, const std::initializer_list<const char *> &list)
{
    return QString::fromUtf8(*(list.begin() + r.bounded(int(list.size()))));
}

template <size_t N> QString pickStr(QRandomGenerator &r, const char *const (&arr)[N])
{
    return QString::fromUtf8(arr[r.bounded(int(N))]);
}

QString randomId(QRandomGenerator &r)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id(20, Qt::Uninitialized);
    for (int i = 0; i < 20; ++i)
        id[i] = QLatin1Char(alphabet[r.bounded(62)]);
    return id;
}

QString digits(QRandomGenerator &r, int n)
{
    QString s(n, Qt::Uninitialized);
    for (int i = 0; i < n; ++i)
        s[i] = QLatin1Char(char('0' + (i == 0 ? 2 + r.bounded(8) : r.bounded(10))));
    return s;
}

// Pooled strings: copies share one allocation, which keeps 100,000 contacts small.
struct Pools
{
    struct NamePart
    {
        QString display;
        QString ascii;
    };
    struct CulturePool
    {
        int weight;
        QList<NamePart> first, last;
        QList<int> countries;
    };
    QList<CulturePool> cultures;
    int totalWeight = 0;
    QList<QStringList> cities; // per country
    QStringList countryCodes, timezones, companies, streets, domains, sources;

    Pools()
    {
        auto parts = [](const std::initializer_list<const char *> &list) {
            QList<NamePart> out;
            for (const char *s : list) {
                const QStringList p = QString::fromUtf8(s).split(QLatin1Char('|'));
                out.append({p.at(0), p.at(1)});
            }
            return out;
        };
        for (const Country &c : kCountries) {
            countryCodes << QString::fromLatin1(c.code);
            timezones << QString::fromLatin1(c.timezone);
            QStringList cs;
            for (const char *city : c.cities)
                cs << QString::fromUtf8(city);
            cities << cs;
        }
        for (const Culture &c : kCultures) {
            CulturePool p{c.weight, parts(c.firstNames), parts(c.lastNames), {}};
            for (const char *code : c.countries)
                p.countries << int(countryCodes.indexOf(QString::fromLatin1(code)));
            totalWeight += c.weight;
            cultures << p;
        }
        for (const char *s : kCompanies)
            companies << QString::fromUtf8(s);
        for (const char *s : kStreets)
            streets << QString::fromUtf8(s);
        for (const char *s : kDomains)
            domains << QString::fromUtf8(s);
        for (const char *s : kSources)
            sources << QString::fromUtf8(s);
    }
};

const Pools &pools()
{
    static const Pools p;
    return p;
}

QString hugeText(const QString &seedLine)
{
    // 64 KiB of text with line breaks and a multibyte character per line, to stress buffers.
    QString line = seedLine + QStringLiteral(" — ünïcödé line of a very long value\n");
    QString out;
    out.reserve(65536 + line.size());
    while (out.size() < 65536)
        out += line;
    out.truncate(65536);
    return out;
}

constexpr quint32 kSharedEmailMember = 1u << 31;

constexpr quint32 bit(GhlData::Mess m)
{
    return 1u << int(m);
}

// For the Scripts class, cycled so that a few contacts already cover every kind of character.
struct ScriptSample
{
    const char *first, *last, *company;
};
const ScriptSample kScriptSamples[] = {
    {"Zoe\u0308", "Mu\u0308ller", "Cafe\u0301 Zoe\u0308 GmbH"}, // combining marks (NFD)
    {"Anna\u200B", "Lee\u200C", "Zero\u200DWidth\u2060Ltd"},    // zero-width characters
    {"\xEF\xBB\xBF"
     "Maya",
     "Patel", "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB Dev Team"}, // BOM, 👩‍💻
    {"\xF0\x9F\x91\x8B\xF0\x9F\x8F\xBD Sam", "Ng",
     "Thumbs \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBF Ltd"}, // 👋🏽, 👍🏿
    {"\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7\xE2\x80\x8D\xF0\x9F\x91\xA6",
     "Family",
     "\xF0\x9F\x8F\xB3\xEF\xB8\x8F\xE2\x80\x8D\xF0\x9F\x8C\x88 Bakery"}, // 👨‍👩‍👧‍👦,
                                                                         // 🏳️‍🌈
    {"Ærøskøbing", "Dvořák-Łukasiewicz", "Société Générale Ærø"},        // Latin with diacritics
    {"Ольга", "Соловьёв", "ООО «Ромашка»"},                              // Cyrillic
    {"Ελένη", "Παπαδόπουλος", "Βιομηχανία Α.Ε."},                        // Greek
    {"فاطمة", "العلي", "شركة النور (Al Noor) Ltd"},                      // Arabic, mixed RTL/LTR
    {"נועה", "כהן", "חברת אור 2000"},                                    // Hebrew
    {"प्रिया", "शर्मा", "टाटा ट्रेडर्स"},                                     // Devanagari
    {"さくら", "佐藤", "株式会社サンプル 中文 한국어"},                  // CJK
    {"สุดา", "ศรีสุข", "ธนาคารไทย"},                                        // Thai
    {"Mehdi", "می\u200Cخواهم", "Persian\u200FRLM\u200E Co"},             // ZWNJ, RLM/LRM marks
};

QString fromUtf8(const char *s)
{
    return QString::fromUtf8(s);
}

// Exactly `length` characters of mixed text with line breaks.
QString exactText(const QString &line, int length)
{
    QString out;
    out.reserve(length + line.size());
    while (out.size() < length)
        out += line;
    out.truncate(length);
    // A surrogate pair must not be split at the end.
    if (!out.isEmpty() && out.back().isHighSurrogate())
        out[out.size() - 1] = QLatin1Char('.');
    return out;
}

QString htmlNote(int index)
{
    static const char *const notes[] = {
        "<p>Called <b>Anna</b> &amp; Tom about the renewal.</p><p>Next step: send the quote &lt;v2&gt;.</p>",
        "<p>Line one<br>Line two<br/>Line three</p><ul><li>Price &euro; 1.200</li><li>Q&amp;A</li></ul>",
        "<div><b>Important:</b> customer said &quot;call after 5&quot;&nbsp;&ndash; ok?</div>"
        "<script>alert('xss')</script>",
        "<p style=\"color:red\">Caf&eacute; meeting &#9749; &#x1F600;</p><br><br><i>Sent from my iPhone</i>",
    };
    return QString::fromUtf8(notes[index % 4]);
}

QString hugeHtmlNote()
{
    const QString para = QStringLiteral("<p>Thread from the customer &amp; our replies: <b>pricing</b>, "
                                        "<i>délais</i> &lt;urgent&gt;<br>— Ünïcödé line.</p>\n");
    QString out = QStringLiteral("<html><body>");
    while (out.size() < 20 * 1024 - 20)
        out += para;
    out += QStringLiteral("</body></html>");
    return out;
}

} // namespace

GhlData::GhlData() : m_runtimeRandom(0x5eed1234u) {}

void GhlData::generate(quint32 seed, int count, const QString &locationId, qint64 referenceMs)
{
    const Pools &P = pools();
    QRandomGenerator r(seed);
    m_seed = seed;
    m_locationId = locationId;
    m_referenceMs = referenceMs;
    m_runtimeRandom.seed(seed ^ 0xA5A5A5A5u);
    m_slots.clear();
    m_childSeeds.clear();
    m_messFlags.clear();
    m_sharedEmailSource.clear();
    m_byId.clear();
    m_childOverrides.clear();
    m_fields.clear();
    m_tagPool.clear();
    m_userIds.clear();
    count = std::clamp(count, 0, 1000000);

    for (const char *t : kTags)
        m_tagPool << QString::fromUtf8(t);
    for (int i = 0; i < 5; ++i)
        m_userIds << randomId(r);
    QStringList businessIds;
    for (int i = 0; i < 10; ++i)
        businessIds << randomId(r);

    // The custom field definitions: one of each data type the sync has to map.
    struct Def
    {
        const char *name, *key, *type;
        QStringList options;
    };
    const Def defs[] = {
        {"Lead Score", "lead_score", "NUMERICAL", {}},
        {"Budget", "budget", "MONETORY", {}},
        {"Preferred Contact Time",
         "preferred_contact_time",
         "SINGLE_OPTIONS",
         {"Morning", "Afternoon", "Evening"}},
        {"Interests",
         "interests",
         "MULTIPLE_OPTIONS",
         {"SEO", "Ads", "E-Mail", "Social Media", "Événements"}},
        {"Consent Channels", "consent_channels", "CHECKBOX", {"Email", "SMS", "Phone"}},
        {"Next Follow-up", "next_follow_up", "DATE", {}},
        {"Background", "background", "LARGE_TEXT", {}},
        {"Referral Code", "referral_code", "TEXT", {}},
    };
    int position = 0;
    for (const Def &d : defs) {
        CustomField f;
        f.id = randomId(r);
        f.locationId = locationId;
        f.name = QString::fromUtf8(d.name);
        f.fieldKey = QStringLiteral("contact.") + QString::fromLatin1(d.key);
        f.dataType = QString::fromLatin1(d.type);
        f.model = QStringLiteral("contact");
        f.position = position;
        position += 50;
        f.picklistOptions = d.options;
        m_fields << f;
    }
    // Pooled JSON values (copies share storage).
    QList<QJsonValue> singleOptions, multiOptions, checkboxOptions, largeTexts, referralCodes;
    for (const QString &o : defs[2].options)
        singleOptions << QJsonValue(o);
    auto subsets = [](const QStringList &opts, QList<QJsonValue> &out) {
        for (int mask = 1; mask < (1 << opts.size()); ++mask) {
            QJsonArray a;
            for (int b = 0; b < opts.size(); ++b)
                if (mask & (1 << b))
                    a.append(opts.at(b));
            out << QJsonValue(a);
        }
    };
    subsets(defs[3].options, multiOptions);
    subsets(defs[4].options, checkboxOptions);
    for (const char *t : kLargeTexts)
        largeTexts << QJsonValue(QString::fromUtf8(t));
    for (int i = 0; i < 200; ++i)
        referralCodes << QJsonValue(QStringLiteral("REF-%1").arg(1000 + i));
    const QJsonValue huge(hugeText(QStringLiteral("Imported background")));

    // A few bulk-import moments: contacts imported together share dateAdded and dateUpdated, so
    // searches must break ties by id.
    const qint64 span = 730 * msPerDay;
    QList<qint64> importMoments;
    for (int i = 0; i < 8; ++i)
        importMoments << referenceMs - 1 - qint64(r.bounded(double(span)));

    m_slots.resize(size_t(count));
    m_childSeeds.resize(size_t(count));
    m_byId.reserve(count);
    for (int i = 0; i < count; ++i) {
        Contact &c = m_slots[size_t(i)];
        do {
            c.id = randomId(r);
        } while (m_byId.contains(c.id));
        m_byId.insert(c.id, i);
        m_childSeeds[size_t(i)] = r.generate() | 1u;
        c.locationId = locationId;

        // Culture first, so names, city, country and phone agree.
        int w = r.bounded(P.totalWeight);
        const Pools::CulturePool *cul = &P.cultures.first();
        for (const auto &cp : P.cultures) {
            if (w < cp.weight) {
                cul = &cp;
                break;
            }
            w -= cp.weight;
        }
        const Pools::NamePart &first = cul->first.at(r.bounded(int(cul->first.size())));
        const Pools::NamePart &last = cul->last.at(r.bounded(int(cul->last.size())));
        const int country = cul->countries.at(r.bounded(int(cul->countries.size())));
        const double oddity = r.generateDouble();
        if (oddity < 0.01) {
            // Empty names: the contact is only an email (or nothing at all).
        } else {
            c.firstName = first.display;
            c.lastName = last.display;
            if (oddity < 0.02)
                c.firstName += QStringLiteral(" 🌟");
            else if (oddity < 0.03)
                c.firstName += QStringLiteral(" \"Jim\"");
            else if (oddity < 0.035)
                c.lastName.clear();
            c.name = (c.firstName + QLatin1Char(' ') + c.lastName).trimmed();
        }

        // Emails: mostly valid and unique; a few missing, invalid or shared with another contact.
        const double e = r.generateDouble();
        const QString &domain = P.domains.at(r.bounded(int(P.domains.size())));
        if (e < 0.03) {
            // no email
        } else if (e < 0.05) {
            c.email = pickStr(r, kInvalidEmails);
        } else if (e < 0.06 && i > 0) {
            const Contact &other = m_slots[size_t(r.bounded(i))];
            c.email = r.bounded(2) ? other.email : other.email.toUpper();
        } else {
            c.email =
                first.ascii + QLatin1Char('.') + last.ascii + QString::number(i) + QLatin1Char('@') + domain;
        }

        const Country &cc = kCountries[country];
        c.country = P.countryCodes.at(country);
        c.timezone = P.timezones.at(country);
        c.city = P.cities.at(country).at(r.bounded(int(P.cities.at(country).size())));
        if (r.bounded(100) < 92)
            c.phone = QLatin1Char('+') + QLatin1String(cc.dialPrefix) +
                      // North America: the exchange, like the area code, starts with 2-9.
                      (qstrcmp(cc.dialPrefix, "1") == 0 ? digits(r, 3) + digits(r, 3) + digits(r, 4)
                                                        : digits(r, cc.localDigits));
        if (r.bounded(100) < 80)
            c.companyName = P.companies.at(r.bounded(int(P.companies.size())));
        if (r.bounded(100) < 60) {
            c.address1 = QString::number(1 + r.bounded(999)) + QLatin1Char(' ') +
                         P.streets.at(r.bounded(int(P.streets.size())));
            c.postalCode = digits(r, 5);
        }
        if (r.bounded(100) < 15)
            c.website = QStringLiteral("https://www.") + domain;
        if (r.bounded(100) < 30)
            c.dateOfBirth =
                QDate(1950 + r.bounded(55), 1 + r.bounded(12), 1 + r.bounded(28)).toString(Qt::ISODate);
        c.source = P.sources.at(r.bounded(int(P.sources.size())));
        c.type = r.bounded(100) < 70 ? QStringLiteral("lead") : QStringLiteral("customer");
        if (r.bounded(100) < 75)
            c.assignedTo = m_userIds.at(r.bounded(int(m_userIds.size())));
        if (r.bounded(100) < 20)
            c.businessId = businessIds.at(r.bounded(int(businessIds.size())));
        c.dnd = r.bounded(100) < 5;
        const int tagCount = r.bounded(5);
        for (int t = 0; t < tagCount; ++t) {
            const QString &tag = m_tagPool.at(r.bounded(int(m_tagPool.size())));
            if (!c.tags.contains(tag))
                c.tags << tag;
        }

        // Dates: spread over two years; some unchanged since creation; some bulk imports (ties).
        qint64 added, updated;
        if (r.bounded(100) < 5) {
            added = updated = importMoments.at(r.bounded(int(importMoments.size())));
        } else {
            added = referenceMs - 1 - qint64(r.bounded(double(span)));
            updated = r.bounded(100) < 20 ? added : added + qint64(r.bounded(double(referenceMs - added)));
        }
        c.dateAdded = json::fromMs(added);
        c.dateUpdated = json::fromMs(updated);

        // Custom values on most contacts, every data type.
        c.customFields.reserve(8);
        auto maybe = [&](int fieldIndex, const QJsonValue &v) {
            if (r.bounded(100) < 85)
                c.customFields.append({m_fields.at(fieldIndex).id, v});
        };
        maybe(0, QJsonValue(r.bounded(101)));
        maybe(1, QJsonValue(double(r.bounded(5000000)) / 100.0));
        maybe(2, singleOptions.at(r.bounded(int(singleOptions.size()))));
        maybe(3, multiOptions.at(r.bounded(int(multiOptions.size()))));
        maybe(4, checkboxOptions.at(r.bounded(int(checkboxOptions.size()))));
        maybe(5, QJsonValue(double((referenceMs / msPerDay + r.bounded(120) - 30) * msPerDay)));
        if (i == 7 || r.bounded(2000) == 0)
            c.customFields.append({m_fields.at(6).id, huge});
        else
            maybe(6, largeTexts.at(r.bounded(int(largeTexts.size()))));
        maybe(7, referralCodes.at(r.bounded(int(referralCodes.size()))));
    }
    m_messFlags.assign(size_t(count), 0);
    addMess(seed);
    buildIndexes();
}

void GhlData::addMess(quint32 seed)
{
    const Pools &P = pools();
    // Its own generator: the data drawn above stays as it was before these classes existed.
    QRandomGenerator r(seed ^ 0x6d657373u);
    const int count = int(m_slots.size());
    auto setCountry = [&](Contact &c, const char *code) {
        const int k = int(P.countryCodes.indexOf(QLatin1String(code)));
        c.country = P.countryCodes.at(k);
        c.timezone = P.timezones.at(k);
        c.city = P.cities.at(k).at(r.bounded(int(P.cities.at(k).size())));
    };
    static const char *const usAreas[] = {"212", "415", "512", "617", "303"};
    auto usNumber = [&](const QString &pattern) { // %1 area, %2 exchange, %3 line
        return pattern.arg(QLatin1String(usAreas[r.bounded(5)]), digits(r, 3), digits(r, 4));
    };
    const QString longLargeText = exactText(
        QStringLiteral("Imported from the old CRM — Ünïcödé, 日本語, العربية, emoji 🚀; line of a long "
                       "background value.\n"),
        5000);
    const QString longCompany = exactText(
        QStringLiteral("Internationale Gesellschaft für Ünïcödé-Datenverarbeitung, Beratung & Vertrieb "
                       "mbH & Co. KG — Niederlassung "),
        320);
    const QString longAddress = exactText(
        QStringLiteral("Gebäude C, 3. Obergeschoss, Zimmer 314, Hinterhaus links, bei Müller klingeln, "
                       "Hauptstraße 123a, "),
        310);
    static const QRegularExpression plainEmail(QStringLiteral("^[a-z0-9.]+@[a-z0-9.]+$"));

    QList<int> sharedCopies;
    int scripts = 0;
    for (int i = 0; i < count; ++i) {
        Contact &c = m_slots[size_t(i)];
        quint32 &flags = m_messFlags[size_t(i)];
        // One roll for the contact classes: 2 % each (1.5 % for spaces), 3 % for scripts.
        const int roll = r.bounded(1000);
        const int kind = roll < 20    ? 0
                         : roll < 40  ? 1
                         : roll < 60  ? 2
                         : roll < 80  ? 3
                         : roll < 100 ? 4
                         : roll < 120 ? 5
                         : roll < 140 ? 6
                         : roll < 160 ? 7
                         : roll < 180 ? 8
                         : roll < 200 ? 9
                         : roll < 215 ? 10
                         : roll < 245 ? 11
                                      : -1;
        switch (kind) {
        case int(Mess::NationalPhone):
            switch (r.bounded(4)) {
            case 0:
                setCountry(c, "DE");
                c.phone = QStringLiteral("030 ") + digits(r, 8);
                break;
            case 1:
                setCountry(c, "US");
                c.phone = usNumber(QStringLiteral("(%1) %2-%3"));
                break;
            case 2:
                setCountry(c, "GB");
                c.phone = QStringLiteral("020 7946 0") + QString::number(r.bounded(100, 1000));
                break;
            default:
                setCountry(c, "FR");
                c.phone = QStringLiteral("06 %1 %2 %3 %4")
                              .arg(r.bounded(10, 100))
                              .arg(r.bounded(10, 100))
                              .arg(r.bounded(10, 100))
                              .arg(r.bounded(10, 100));
            }
            break;
        case int(Mess::PhoneExtension):
            switch (r.bounded(3)) {
            case 0:
                setCountry(c, "US");
                c.phone = usNumber(QStringLiteral("+1 %1-%2-%3 ext. ")) + QString::number(r.bounded(10, 100));
                break;
            case 1:
                setCountry(c, "DE");
                c.phone = QStringLiteral("030 ") + digits(r, 7) + QStringLiteral(" x") +
                          QString::number(r.bounded(10, 100));
                break;
            default:
                setCountry(c, "GB");
                c.phone =
                    QStringLiteral("+44 20 7946 0%1 #%2").arg(r.bounded(100, 1000)).arg(r.bounded(10, 100));
            }
            break;
        case int(Mess::PhoneNoCountry):
            switch (r.bounded(3)) {
            case 0:
                c.phone = QStringLiteral("0151 ") + digits(r, 8);
                break;
            case 1:
                c.phone = usNumber(QStringLiteral("(%1) %2-%3"));
                break;
            default:
                c.phone = QStringLiteral("07700 900") + QString::number(r.bounded(100, 1000));
            }
            c.country.clear();
            break;
        case int(Mess::PhoneTrunkPrefix):
            if (r.bounded(2)) {
                setCountry(c, "GB");
                c.phone = QStringLiteral("+44 (0)20 7946 0") + QString::number(r.bounded(100, 1000));
            } else {
                setCountry(c, "DE");
                c.phone = QStringLiteral("+49 (0)30 ") + digits(r, 8);
            }
            break;
        case int(Mess::PhoneRareCode): {
            const QString a = digits(r, 3), b = digits(r, 4);
            switch (r.bounded(5)) {
            case 0:
                c.phone = QStringLiteral("+353 1 %1 %2").arg(a, b);
                break; // Ireland, Dublin
            case 1:
                c.phone = QStringLiteral("+971 50 %1 %2").arg(a, b);
                break; // UAE, mobile
            case 2:
                c.phone = QStringLiteral("+886 912 %1 %2").arg(a, b.left(3));
                break; // Taiwan, mobile
            case 3:
                c.phone = QStringLiteral("+1 268 464 %1").arg(b);
                break; // Antigua and Barbuda
            default:
                c.phone = QStringLiteral("+298 ") + digits(r, 6); // Faroe Islands
            }
            break;
        }
        case int(Mess::LongLargeText): {
            const QString fieldId = m_fields.at(6).id;
            c.customFields.erase(
                std::remove_if(c.customFields.begin(), c.customFields.end(),
                               [&](const CustomFieldValue &v) { return v.fieldId == fieldId; }),
                c.customFields.end());
            c.customFields.append({fieldId, QJsonValue(longLargeText)});
            break;
        }
        case int(Mess::LongCompany):
            c.companyName = longCompany;
            break;
        case int(Mess::LongAddress):
            c.address1 = longAddress;
            if (c.postalCode.isEmpty())
                c.postalCode = digits(r, 5);
            break;
        case int(Mess::SharedEmailExact):
        case int(Mess::SharedEmailCase):
        case int(Mess::SharedEmailSpaces):
            sharedCopies << i; // after this loop, so that a source is never itself a copy
            break;
        case int(Mess::Scripts): {
            const ScriptSample &sample = kScriptSamples[size_t(scripts++) % std::size(kScriptSamples)];
            c.firstName = fromUtf8(sample.first);
            c.lastName = fromUtf8(sample.last);
            c.companyName = fromUtf8(sample.company);
            c.name = (c.firstName + QLatin1Char(' ') + c.lastName).trimmed();
            break;
        }
        default:
            break;
        }
        if (kind >= 0)
            flags |= 1u << kind;
        // The note classes, independently: 4 % an HTML note, 1 % a 20 kB one.
        const int noteRoll = r.bounded(100);
        if (noteRoll < 4)
            flags |= bit(Mess::HtmlNote);
        else if (noteRoll < 5)
            flags |= bit(Mess::HugeHtmlNote);
    }

    for (int i : std::as_const(sharedCopies)) {
        quint32 &flags = m_messFlags[size_t(i)];
        int source = -1;
        for (int attempt = 0; attempt < 20 && source < 0 && count > 1; ++attempt) {
            const int j = r.bounded(count);
            const quint32 other = m_messFlags[size_t(j)];
            const bool isCopy = other & (bit(Mess::SharedEmailExact) | bit(Mess::SharedEmailCase) |
                                         bit(Mess::SharedEmailSpaces));
            if (j != i && !isCopy && plainEmail.match(m_slots[size_t(j)].email).hasMatch())
                source = j;
        }
        if (source < 0) {
            flags &=
                ~(bit(Mess::SharedEmailExact) | bit(Mess::SharedEmailCase) | bit(Mess::SharedEmailSpaces));
            continue;
        }
        Contact &c = m_slots[size_t(i)];
        const QString email = m_slots[size_t(source)].email;
        if (flags & bit(Mess::SharedEmailExact)) {
            c.email = email;
        } else if (flags & bit(Mess::SharedEmailCase)) {
            // "anna.lee3@example.com" → "Anna.Lee3@Example.com"
            QString e = email;
            for (qsizetype k = 0; k < e.size(); ++k)
                if (k == 0 || e.at(k - 1) == QLatin1Char('.') || e.at(k - 1) == QLatin1Char('@'))
                    e[k] = e.at(k).toUpper();
            c.email = e;
        } else {
            c.email =
                (r.bounded(2) ? QStringLiteral("  ") : QStringLiteral(" \t")) + email + QStringLiteral(" ");
        }
        flags |= kSharedEmailMember;
        m_messFlags[size_t(source)] |= kSharedEmailMember;
        m_sharedEmailSource.insert(c.id, m_slots[size_t(source)].id);
    }
}

QStringList GhlData::messyContacts(Mess kind) const
{
    QStringList out;
    for (size_t s = 0; s < m_slots.size(); ++s)
        if ((m_messFlags[s] & bit(kind)) && !m_slots[s].id.isEmpty())
            out << m_slots[s].id;
    return out;
}

bool GhlData::isMessy(const QString &contactId, Mess kind) const
{
    const auto it = m_byId.constFind(contactId);
    return it != m_byId.cend() && (m_messFlags[size_t(*it)] & bit(kind));
}

QString GhlData::sharedEmailSource(const QString &contactId) const
{
    return m_sharedEmailSource.value(contactId);
}

QString GhlData::messName(Mess kind)
{
    static const char *const names[] = {
        "NationalPhone",     "PhoneExtension", "PhoneNoCountry", "PhoneTrunkPrefix", "PhoneRareCode",
        "LongLargeText",     "LongCompany",    "LongAddress",    "SharedEmailExact", "SharedEmailCase",
        "SharedEmailSpaces", "Scripts",        "HtmlNote",       "HugeHtmlNote"};
    static_assert(std::size(names) == size_t(Mess::Count));
    return QLatin1String(names[int(kind)]);
}

ContactChildren GhlData::generateChildren(int slot) const
{
    const Contact &c = m_slots[size_t(slot)];
    ContactChildren out;
    out.contactId = c.id;
    const quint32 childSeed = m_childSeeds[size_t(slot)];
    if (childSeed == 0)
        return out;
    QRandomGenerator r(childSeed);
    const qint64 added = json::toMs(c.dateAdded);
    const qint64 ref = m_referenceMs;
    auto between = [&r](qint64 lo, qint64 hi) {
        return hi <= lo ? lo : lo + qint64(r.bounded(double(hi - lo)));
    };

    static const int taskWeights[] = {30, 25, 20, 15, 10};
    int roll = r.bounded(100), nTasks = 0;
    while (roll >= taskWeights[nTasks]) {
        roll -= taskWeights[nTasks];
        ++nTasks;
    }
    for (int i = 0; i < nTasks; ++i) {
        Task t;
        t.id = randomId(r);
        t.contactId = c.id;
        t.title = pickStr(r, kTaskTitles);
        t.body = pickStr(r, kTaskBodies);
        if (r.bounded(100) < 70)
            t.assignedTo = m_userIds.at(r.bounded(int(m_userIds.size())));
        if (r.bounded(100) < 70)
            t.dueDate =
                json::fromMs(between(added, ref + 60 * msPerDay) / (15 * msPerMinute) * (15 * msPerMinute));
        t.completed = r.bounded(100) < 35;
        out.tasks << t;
    }

    const int nNotes = std::min(3, int(r.bounded(100) < 40 ? 0 : 1 + r.bounded(3)));
    for (int i = 0; i < nNotes; ++i) {
        Note n;
        n.id = randomId(r);
        n.contactId = c.id;
        n.body = pickStr(r, kNoteBodies);
        if (r.bounded(100) < 30)
            n.title = QStringLiteral("Call summary");
        n.userId = m_userIds.at(r.bounded(int(m_userIds.size())));
        n.dateAdded = json::fromMs(between(added, ref));
        out.notes << n;
    }
    // A few contacts carry a huge note, to stress response sizes and the store.
    if (slot == 11 || r.bounded(1500) == 0) {
        Note n;
        n.id = randomId(r);
        n.contactId = c.id;
        n.body = hugeText(QStringLiteral("Pasted email thread"));
        n.userId = m_userIds.first();
        n.dateAdded = json::fromMs(between(added, ref));
        out.notes << n;
    }

    const int roll2 = r.bounded(100);
    const int nAppts = roll2 < 55 ? 0 : roll2 < 85 ? 1 : 2;
    static const char *const pastStatus[] = {"showed", "noshow", "cancelled", "confirmed", "invalid"};
    static const char *const futureStatus[] = {"new", "confirmed", "cancelled"};
    for (int i = 0; i < nAppts; ++i) {
        Appointment a;
        a.id = randomId(r);
        a.contactId = c.id;
        a.calendarId = QStringLiteral("sbxCalendar%1").arg(1 + r.bounded(3), 9, 10, QLatin1Char('0'));
        a.title = pickStr(r, kApptTitles);
        a.address = pickStr(r, kApptAddresses);
        a.assignedUserId = m_userIds.at(r.bounded(int(m_userIds.size())));
        const qint64 start = between(added, ref + 90 * msPerDay) / (15 * msPerMinute) * (15 * msPerMinute);
        a.startTime = json::fromMs(start);
        a.endTime = json::fromMs(start + (30 + 15 * r.bounded(3)) * msPerMinute);
        a.appointmentStatus = start < ref ? pickStr(r, pastStatus) : pickStr(r, futureStatus);
        a.status = a.appointmentStatus == QLatin1String("cancelled") ? QStringLiteral("cancelled")
                                                                     : QStringLiteral("booked");
        if (r.bounded(100) < 40)
            a.notes = QStringLiteral("Bring the \"Q3\" numbers");
        const qint64 created = between(added, std::min(start, ref));
        a.dateAdded = json::fromMs(created);
        a.dateUpdated = json::fromMs(between(created, ref));
        out.appointments << a;
    }

    // The mess classes, drawn after everything else so the children above stay as they were.
    const quint32 flags = m_messFlags[size_t(slot)];
    if ((flags & kSharedEmailMember) && out.tasks.isEmpty()) {
        Task t;
        t.id = randomId(r);
        t.contactId = c.id;
        t.title = QStringLiteral("Follow up (%1)").arg(c.name.isEmpty() ? c.id : c.name);
        t.dueDate =
            json::fromMs(between(added, ref + 30 * msPerDay) / (15 * msPerMinute) * (15 * msPerMinute));
        out.tasks << t;
    }
    if ((flags & kSharedEmailMember) && out.notes.isEmpty()) {
        Note n;
        n.id = randomId(r);
        n.contactId = c.id;
        n.body = QStringLiteral("Note of %1 (shares an email with another contact).").arg(c.id);
        n.userId = m_userIds.first();
        n.dateAdded = json::fromMs(between(added, ref));
        out.notes << n;
    }
    if (flags & (bit(Mess::HtmlNote) | bit(Mess::HugeHtmlNote))) {
        static const QString huge = hugeHtmlNote();
        Note n;
        n.id = randomId(r);
        n.contactId = c.id;
        n.body = (flags & bit(Mess::HugeHtmlNote)) ? huge : htmlNote(int(r.bounded(4)));
        n.userId = m_userIds.at(r.bounded(int(m_userIds.size())));
        n.dateAdded = json::fromMs(between(added, ref));
        out.notes << n;
    }
    return out;
}

ContactChildren GhlData::children(const QString &contactId) const
{
    const auto over = m_childOverrides.constFind(contactId);
    if (over != m_childOverrides.cend())
        return *over;
    const auto it = m_byId.constFind(contactId);
    if (it == m_byId.cend())
        return {};
    return generateChildren(*it);
}

ContactChildren &GhlData::mutableChildren(const QString &contactId)
{
    auto over = m_childOverrides.find(contactId);
    if (over != m_childOverrides.end())
        return *over;
    return *m_childOverrides.insert(contactId, children(contactId));
}

const Contact *GhlData::contact(const QString &id) const
{
    const auto it = m_byId.constFind(id);
    return it == m_byId.cend() ? nullptr : &m_slots[size_t(*it)];
}

QList<Contact> GhlData::contacts() const
{
    QList<Contact> out;
    out.reserve(m_byId.size());
    for (const Contact &c : m_slots)
        if (!c.id.isEmpty())
            out << c;
    return out;
}

QStringList GhlData::contactIds() const
{
    QStringList out;
    out.reserve(m_byId.size());
    for (const Contact &c : m_slots)
        if (!c.id.isEmpty())
            out << c.id;
    return out;
}

qint64 GhlData::dateMs(const Contact &c, DateField field)
{
    return json::toMs(field == DateField::Added ? c.dateAdded : c.dateUpdated);
}

const std::vector<int> &GhlData::index(DateField field) const
{
    return field == DateField::Added ? m_byAdded : m_byUpdated;
}

void GhlData::buildIndexes()
{
    for (DateField field : {DateField::Added, DateField::Updated}) {
        std::vector<int> &idx = field == DateField::Added ? m_byAdded : m_byUpdated;
        idx.clear();
        idx.reserve(m_byId.size());
        std::vector<std::pair<qint64, int>> keyed;
        keyed.reserve(m_byId.size());
        for (size_t s = 0; s < m_slots.size(); ++s)
            if (!m_slots[s].id.isEmpty())
                keyed.emplace_back(dateMs(m_slots[s], field), int(s));
        std::sort(keyed.begin(), keyed.end(), [this](const auto &a, const auto &b) {
            if (a.first != b.first)
                return a.first < b.first;
            return m_slots[size_t(a.second)].id < m_slots[size_t(b.second)].id;
        });
        for (const auto &k : keyed)
            idx.push_back(k.second);
    }
}

size_t GhlData::lowerBound(DateField field, qint64 ms, const QString &id, bool inclusive) const
{
    const std::vector<int> &idx = index(field);
    // First position whose key is > (ms,id), or >= when inclusive.
    const auto it = std::partition_point(idx.begin(), idx.end(), [&](int slot) {
        const Contact &c = m_slots[size_t(slot)];
        const qint64 m = dateMs(c, field);
        if (m != ms)
            return m < ms;
        return inclusive ? c.id < id : c.id <= id;
    });
    return size_t(it - idx.begin());
}

void GhlData::indexErase(DateField field, int slot)
{
    std::vector<int> &idx = field == DateField::Added ? m_byAdded : m_byUpdated;
    const Contact &c = m_slots[size_t(slot)];
    const size_t pos = lowerBound(field, dateMs(c, field), c.id, true);
    if (pos < idx.size() && idx[pos] == slot)
        idx.erase(idx.begin() + qsizetype(pos));
    else // should not happen; stay correct anyway
        idx.erase(std::remove(idx.begin(), idx.end(), slot), idx.end());
}

void GhlData::indexInsert(DateField field, int slot)
{
    std::vector<int> &idx = field == DateField::Added ? m_byAdded : m_byUpdated;
    const Contact &c = m_slots[size_t(slot)];
    const size_t pos = lowerBound(field, dateMs(c, field), c.id, true);
    idx.insert(idx.begin() + qsizetype(pos), slot);
}

bool GhlData::update(const QString &id, qint64 nowMs, const std::function<void(Contact &)> &change)
{
    const auto it = m_byId.constFind(id);
    if (it == m_byId.cend())
        return false;
    const int slot = *it;
    indexErase(DateField::Updated, slot);
    Contact &c = m_slots[size_t(slot)];
    if (change)
        change(c);
    c.id = id; // the id is not for changing
    // GHL's dateUpdated never goes backwards, even if a clock does.
    c.dateUpdated = json::fromMs(std::max(nowMs, dateMs(c, DateField::Updated)));
    indexInsert(DateField::Updated, slot);
    return true;
}

QString GhlData::insert(Contact contact, qint64 nowMs)
{
    QString id;
    do {
        id = newId();
    } while (m_byId.contains(id));
    contact.id = id;
    contact.locationId = m_locationId;
    contact.dateAdded = json::fromMs(nowMs);
    contact.dateUpdated = contact.dateAdded;
    contact.searchAfter = {};
    const int slot = int(m_slots.size());
    m_slots.push_back(std::move(contact));
    m_childSeeds.push_back(0);
    m_messFlags.push_back(0);
    m_byId.insert(id, slot);
    indexInsert(DateField::Added, slot);
    indexInsert(DateField::Updated, slot);
    return id;
}

bool GhlData::remove(const QString &id)
{
    const auto it = m_byId.constFind(id);
    if (it == m_byId.cend())
        return false;
    const int slot = *it;
    indexErase(DateField::Added, slot);
    indexErase(DateField::Updated, slot);
    m_byId.remove(id);
    m_childOverrides.remove(id);
    m_slots[size_t(slot)] = Contact(); // frees the strings; the slot stays so others keep their index
    m_childSeeds[size_t(slot)] = 0;
    m_messFlags[size_t(slot)] = 0;
    m_sharedEmailSource.remove(id);
    return true;
}

QString GhlData::newId()
{
    return randomId(m_runtimeRandom);
}

QString GhlData::findByEmail(const QString &email) const
{
    if (email.trimmed().isEmpty())
        return {};
    for (const Contact &c : m_slots)
        if (!c.id.isEmpty() && c.email.compare(email.trimmed(), Qt::CaseInsensitive) == 0)
            return c.id;
    return {};
}

QString GhlData::findByPhone(const QString &phone) const
{
    if (phone.trimmed().isEmpty())
        return {};
    for (const Contact &c : m_slots)
        if (!c.id.isEmpty() && c.phone == phone.trimmed())
            return c.id;
    return {};
}

QStringList GhlData::pickContacts(int n)
{
    QStringList ids = contactIds();
    n = std::min<int>(n, int(ids.size()));
    // Partial Fisher-Yates: the first n entries become a random sample.
    for (int i = 0; i < n; ++i)
        ids.swapItemsAt(i, i + m_runtimeRandom.bounded(int(ids.size()) - i));
    return ids.mid(0, n);
}

QString GhlData::customFieldIdForKey(const QString &keyOrId) const
{
    for (const CustomField &f : m_fields) {
        if (f.id == keyOrId || f.fieldKey == keyOrId || f.fieldKey == QStringLiteral("contact.") + keyOrId)
            return f.id;
    }
    return {};
}

} // namespace lb::sandbox
