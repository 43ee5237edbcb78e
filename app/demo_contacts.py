"""Demo address book for studio 1 (`flask seed-demo`): clients and leads at every stage,
suppliers, professionals, a communication log and a few labels.

Everything goes through the real services, so the demo has the same history, phone digits and
lead-board order as data typed in the app. Skipped when the studio already has clients.
The tables below are `|`-separated, one contact a line, in the order their header names.
"""

from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import inspect, select

from app.contacts import communication, important_dates, leads
from app.contacts.models import Client
from app.contacts.services import create_contact, update_contact
from app.core.db import utcnow
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.labels import services as labels
from app.tenants.models import Membership

CONTACT_KINDS = ["client", "supplier", "professional"]
EMAIL_DOMAINS = ("gmail.com", "walla.co.il", "gmail.com", "hotmail.com", "yahoo.com")
LABELS = (("VIP", "#F59E0B"), ("ממליץ", "#22C55E"), ("דחוף", "#EF4444"))

CLIENT_COLUMNS = "name email mobile city lead_source lead_score budget_range style_preferences"
# Past clients, then their satisfaction, whether they would recommend us, and a testimonial.
PAST_CLIENTS = """
אורית ורון גרינברג | orit.greenberg | 052-3418876 | רמת השרון | referral | 90 | 250-350 אלף ₪ | מודרני, סקנדינבי | 5 | כן | נועה והצוות הפכו את הדירה שלנו לבית. הקשבה לכל פרט, עמידה בלוחות זמנים ותוצאה מדהימה.
שמעון אזולאי | shimon.azulay | 054-6621390 | אשקלון | facebook | 70 | 120-180 אלף ₪ | קלאסי | 4 | כן | עבודה מקצועית ונעימה. היו קצת עיכובים מול הספקים אבל הכול הסתדר.
תמר הלוי | tamar.halevi | 050-7788120 | ירושלים | website | 85 | 300-400 אלף ₪ | כפרי, בוהו | 5 | כן | המטבח החדש הוא החדר האהוב עלינו בבית. ממליצה בחום!
אבישג ברקוביץ | avishag.b | 053-4471902 | חולון | instagram | 75 | 80-120 אלף ₪ | מינימליסטי | 4 | כן | פתרונות אחסון חכמים לדירה קטנה. תודה על הסבלנות.
ליאור חדד | lior.hadad | 058-9012334 | קריית גת | google | 60 | 60-90 אלף ₪ | | 3 | לא |
מרכז יוגה "שאנטי" | office.shanti | 052-8830017 | זכרון יעקב | exhibition | 80 | 150-200 אלף ₪ | יפני, טבעי | 5 | כן | הסטודיו הבין בדיוק את האווירה שרצינו לחלל התרגול. מקום שקט ומואר.
"""
ACTIVE_CLIENTS = """
דנה ויוסי כהן | dana.yossi | 050-2231987 | תל אביב | referral | 80 | 200-300 אלף ₪ | מודרני
רחל ישראלי | rachel.israeli | 054-3349021 | פתח תקווה | google | 65 | 100-150 אלף ₪ | קלאסי מודרני
קפה לחם בע"מ | office.lechem | 052-6678112 | תל אביב | instagram | 70 | 180-250 אלף ₪ | תעשייתי
אופק טכנולוגיות | office.ofek | 053-9920145 | הרצליה | website | 85 | 400-600 אלף ₪ | משרדי, מודרני
עדי גבאי | adi.gabay | 058-4410293 | נס ציונה | facebook | 55 | 70-100 אלף ₪ | בוהו
אריאל וסיון פרץ | ariel.sivan | 050-8817734 | מודיעין | referral | 75 | 250-300 אלף ₪ | סקנדינבי
יונתן בן דוד | yonatan.bd | 054-1128390 | גבעתיים | exhibition | 60 | 90-140 אלף ₪ | מינימליסטי
מאיה סויסה | maya.swisa | 052-7709415 | ראשון לציון | instagram | 70 | 150-200 אלף ₪ | כפרי
"""
# Leads, then their stage on the board and the past client who referred them (if any).
LEADS = """
שירה אברהם | shira.avraham | 052-4419087 | רמת גן | instagram | 45 | | | new |
עומר ביטון | omer.biton | 054-2209381 | פתח תקווה | facebook | 30 | | | new |
ליאת גולדברג | liat.goldberg | 050-6672130 | הרצליה | website | 60 | | | new |
אלון פרידמן | alon.friedman | 053-3381245 | רעננה | google | 55 | 150 אלף ₪ | | contacted |
מורן שטרן | moran.stern | 058-1190274 | כפר סבא | referral | 70 | | כפרי | contacted | אורית ורון גרינברג
יעל דהן | yael.dahan | 052-9934510 | ראשון לציון | instagram | 50 | | | contacted |
נדב רוזן | nadav.rosen | 054-7781239 | תל אביב | exhibition | 75 | 250 אלף ₪ | מודרני | meeting |
הילה מזרחי | hila.mizrahi | 050-3320918 | גבעתיים | referral | 80 | | | meeting | תמר הלוי
משפחת אוחיון | ohayon.family | 053-6658023 | אשדוד | facebook | 65 | | | meeting |
רוני וקרן שלום | roni.karen | 052-1147765 | מודיעין | website | 85 | 300 אלף ₪ | סקנדינבי | proposal_sent |
ד"ר אבי נחום | dr.nahum | 054-5503318 | ירושלים | referral | 90 | | קלאסי | proposal_sent | שמעון אזולאי
טל ואורי ברגר | tal.uri | 050-9098812 | חיפה | google | 78 | | | proposal_sent |
אסף קליין | asaf.klein | 053-2287764 | תל אביב | referral | 88 | 200 אלף ₪ | | won | שמעון אזולאי
נועם ומיכל אדלר | noam.adler | 058-6612093 | רמת השרון | instagram | 82 | | בוהו | won |
גיא שמעוני | guy.shimoni | 052-8873301 | נתניה | google | 35 | | | lost |
קרן אלמוג | keren.almog | 054-9917728 | באר שבע | facebook | 40 | | | lost |
"""
LOST_REASONS = ("בחר במעצבת אחרת בגלל המחיר", "הפרויקט נדחה לשנה הבאה")
IMPORTANT_DATES = (  # (client, in how many days, what)
    ("דנה ויוסי כהן", 45, "כניסה לדירה החדשה"),
    ("אריאל וסיון פרץ", 12, "יום הולדת לסיון"),
    ("תמר הלוי", 200, "שנה לסיום הפרויקט: לשלוח ברכה"),
    ("אופק טכנולוגיות", 30, "פתיחת המשרד החדש"),
)

SUPPLIER_COLUMNS = (
    "name category_key email phone website contact_person city payment_terms discount_percent"
    " credit_days minimum_order trade_account_number trade_discount_percent rating"
    " reliability_score"
)
SUPPLIERS = """
עץ ונוף רהיטים | furniture | sales@etz-nof.co.il | 04-6512290 | www.etz-nof.co.il | משה גולן | כרמיאל | שוטף + 30 | 10 | 30 | 2000 | EN-2231 | 15 | 5 | 92
סלון דיזיין בע"מ | furniture | info@salon-design.co.il | 03-6881123 | salon-design.co.il | רינה כץ | תל אביב | שוטף + 60 | 8 | 60 | 5000 | | | 4 | 80
כורסא ומיטה | furniture | orders@kursa.co.il | 09-7745120 | | אבי לוי | נתניה | 50% מקדמה, יתרה באספקה | 5 | | | | | 3 | 65
אור-לי תאורה | lighting | shop@or-li.co.il | 03-5229981 | www.or-li.co.il | לי-אור ברק | תל אביב | שוטף + 30 | 12 | 30 | 1000 | OL-0917 | 18 | 5 | 95
נורות ואורות | lighting | info@norot.co.il | 08-9334410 | norot.co.il | סהר מימון | רחובות | מזומן או אשראי | | | | | | 4 | 85
מנורת הצפון | lighting | hello@menorat-hatzafon.co.il | 04-8550127 | | גלעד נוי | חיפה | שוטף + 45 | 7 | 45 | 800 | | | 3 | 70
קרמיקה הדר | tiles | hadar@ceramica-hadar.co.il | 03-9061177 | www.ceramica-hadar.co.il | הדר שלום | ראשון לציון | שוטף + 30 | 15 | 30 | 3000 | KH-5521 | 20 | 5 | 90
אבן ושיש המרכז | tiles | office@even-shayish.co.il | 03-9227740 | | יוסף עטיה | פתח תקווה | שוטף + 60 | 10 | 60 | 4000 | | | 4 | 75
ריצופי הנגב | tiles | negev.tiles@gmail.com | 08-6280093 | | שלומי אלון | באר שבע | מזומן | | | | | | 3 | 60
בדי אלונה | fabrics | alona@alona-fabrics.co.il | 03-6203318 | www.alona-fabrics.co.il | אלונה שפירא | תל אביב | שוטף + 30 | 10 | 30 | 500 | BA-118 | 12 | 5 | 88
טקסטיל לבית | fabrics | info@textile-home.co.il | 09-8654412 | | מירב אשכנזי | הוד השרון | שוטף + 45 | 5 | 45 | | | | 4 | 78
וילונות ודים | fabrics | dim.curtains@gmail.com | 052-3394187 | | דים קוגן | אשדוד | 50% מקדמה | | | | | | 4 | 82
פרזולי השרון | hardware | sales@hasharon-hw.co.il | 09-7412285 | hasharon-hw.co.il | רונן טל | כפר סבא | שוטף + 30 | 12 | 30 | 300 | PS-3340 | 15 | 4 | 86
ידית זהב | hardware | info@yadit-zahav.co.il | 03-5551902 | | ענבל דור | בני ברק | שוטף + 60 | 6 | 60 | | | | 3 | 68
מסילות ופתרונות | hardware | office@mesilot.co.il | 04-9991247 | | עמית שגב | יקנעם | שוטף + 30 | 9 | 30 | 1500 | MP-77 | 11 | 5 | 91
"""

# The last column but one is the insurance expiry in days from today (negative: expired).
PROFESSIONAL_COLUMNS = (
    "name company_name trade_key phone email license_number insurance_days rating specialties"
)
PROFESSIONALS = """
יוסי אברהמי | אברהמי חשמל | electrician | 050-4412983 | yossi@avrahami-el.co.il | EL-48213 | -12 | 5 | תאורה חכמה, לוחות חשמל
איגור פטרוב | | electrician | 054-8813340 | igor.petrov@gmail.com | EL-51877 | 20 | 4 | בית חכם
אבי ששון | ששון אינסטלציה | plumber | 052-6640921 | avi@sasson-plumb.co.il | PL-2291 | 160 | 4 | אמבטיות, מערכות מים
עוזי ביטון | | plumber | 053-1129874 | | PL-3418 | 300 | 3 |
דוד מלכה | נגריית מלכה | carpenter | 050-9982213 | david@malka-wood.co.il | CR-1150 | 210 | 5 | מטבחים, ארונות קיר
חיים קורן | | carpenter | 058-3310094 | haim.koren@gmail.com | | 95 | 4 | רהיטים בהתאמה
ולדימיר קוזלוב | | painter | 054-7720016 | | | 120 | 4 | טיח דקורטיבי, צבע
ניסים עמר | עמר ריצוף | tiler | 052-2218840 | nissim@amar-tiles.co.il | TL-0442 | 250 | 5 | פורצלן גדול, פסיפס
סאמר חורי | ס.ח. בנייה ושיפוצים בע"מ | contractor | 050-6671239 | samer@sh-build.co.il | קבלן רשום 31245 | 330 | 5 | שיפוץ כללי, שינויי מחיצות
רון שגיא | ר.ש. שיפוצים | contractor | 053-8845102 | ron@rs-renovations.co.il | קבלן רשום 28876 | 60 | 4 | דירות ישנות
"""

LABELLED = (
    ("VIP", ("אופק טכנולוגיות", "דנה ויוסי כהן", 'ד"ר אבי נחום', "אור-לי תאורה")),
    ("ממליץ", ("אורית ורון גרינברג", "תמר הלוי", 'מרכז יוגה "שאנטי"', "דוד מלכה")),
    ("דחוף", ("רוני וקרן שלום", "יוסי אברהמי")),
)

CONVERSATION_COLUMNS = "contact type direction subject content days_ago"
CONVERSATIONS = """
שירה אברהם | whatsapp | incoming | | ראתה את פרויקט הסלון באינסטגרם ושאלה על מחירים | 1
אלון פרידמן | phone | outgoing | שיחת היכרות | דירת 5 חדרים ברעננה, כניסה בעוד 4 חודשים. לקבוע פגישה בנכס. | 3
נדב רוזן | meeting | outgoing | פגישה בנכס | מדדנו את הדירה. רוצים מטבח פתוח ופינת עבודה בסלון. | 5
רוני וקרן שלום | email | outgoing | הצעת מחיר לתכנון מלא | נשלחה הצעת מחיר לתכנון ופיקוח, 3 חלופות לתשלום. | 2
ד"ר אבי נחום | phone | incoming | | מבקש לדחות את ההחלטה עד אחרי החגים. | 1
גיא שמעוני | phone | incoming | | הודיע שבחר במעצבת אחרת. להשאיר בקשר לעתיד. | 20
דנה ויוסי כהן | meeting | outgoing | בחירת חומרים | בחרנו ריצוף בקרמיקה הדר וגופי תאורה מאור-לי. | 7
דנה ויוסי כהן | whatsapp | incoming | | שלחו תמונות של הספה שמצאו, לבדוק מידות. | 4
קפה לחם בע"מ | email | outgoing | לוח זמנים | עדכון: הנגר מתחיל ב-1 לחודש. | 6
תמר הלוי | sms | outgoing | | תודה על ההמלצה! נשמח לצלם את הבית לתיק העבודות. | 30
אור-לי תאורה | phone | outgoing | הזמנה | הוזמנו 6 גופי תאורה לפרויקט כהן. | 8
קרמיקה הדר | email | incoming | אספקה | הפורצלן יגיע ביום שלישי, לתאם פריקה. | 2
יוסי אברהמי | phone | outgoing | ביטוח | ביקשנו אישור ביטוח מעודכן לפני תחילת העבודה. | 1
דוד מלכה | meeting | incoming | | הציג דוגמאות פורניר לארונות במטבח. | 10
סאמר חורי | note | outgoing | | לבדוק היתר לשינוי מחיצה בפרויקט פרץ. | 3
"""


def _rows(columns: str, table: str, extra: str = "") -> list[dict]:
    """The lines of a `|` table as dicts keyed by `columns` (+ `extra`), blanks as ""."""
    keys = (columns + " " + extra).split()
    rows = []
    for line in table.strip().splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        rows.append(dict(zip(keys, cells + [""] * (len(keys) - len(cells)), strict=True)))
    return rows


def _client_data(row: dict, status: str) -> dict:
    """Form data for a client row (`row` keeps its extra columns out of the form)."""
    data = {key: row[key] for key in CLIENT_COLUMNS.split()}
    local_part = data["email"]
    data |= {
        "type": "company" if local_part.startswith("office") else "individual",
        "status": status,
        "email": f"{local_part}@{EMAIL_DOMAINS[len(row['name']) % len(EMAIL_DOMAINS)]}",
        "preferred_communication": ("whatsapp", "phone", "email")[len(local_part) % 3],
    }
    return data


def _clients(actor) -> dict:
    by_name = {}
    for row in _rows(
        CLIENT_COLUMNS, PAST_CLIENTS, "satisfaction_rating would_recommend testimonial"
    ):
        data = _client_data(row, "past")
        data |= {k: row[k] for k in ("satisfaction_rating", "would_recommend", "testimonial")}
        by_name[row["name"]] = create_contact(actor, "client", data)
    for row in _rows(CLIENT_COLUMNS, ACTIVE_CLIENTS):
        by_name[row["name"]] = create_contact(actor, "client", _client_data(row, "active"))
    lost_reasons = iter(LOST_REASONS)
    new_leads = []
    for row in _rows(CLIENT_COLUMNS, LEADS, "stage referrer"):
        data = _client_data(row, "lead")
        if row["referrer"]:
            data["referred_by_client_id"] = str(by_name[row["referrer"]].id)
            data["referred_by"] = row["referrer"]
        client = by_name[row["name"]] = create_contact(actor, "client", data)
        if row["stage"] == "new":
            new_leads.append(client.id)
        else:  # through the board's own service: history, conversion, order in the column
            reason = next(lost_reasons) if row["stage"] == "lost" else None
            leads.move_to_stage(actor, client, row["stage"], lost_reason=reason)
    leads.reorder_stage(actor, "new", new_leads)
    today = date.today()
    for name, days, description in IMPORTANT_DATES:
        important_dates.add_important_date(
            actor,
            by_name[name],
            date=today + timedelta(days=days),
            description=description,
            reminder=True,
        )
    update_contact(actor, by_name["דנה ויוסי כהן"], {"anniversary_date": "18/06/2015"})
    return by_name


def _suppliers(actor) -> dict:
    by_name = {}
    for row in _rows(SUPPLIER_COLUMNS, SUPPLIERS):
        row["has_trade_account"] = "כן" if row["trade_account_number"] else "לא"
        by_name[row["name"]] = create_contact(actor, "supplier", row)
    return by_name


def _professionals(actor) -> dict:
    by_name = {}
    for row in _rows(PROFESSIONAL_COLUMNS, PROFESSIONALS):
        expiry = date.today() + timedelta(days=int(row.pop("insurance_days")))
        row["insurance_expiry"] = expiry.isoformat()
        by_name[row["name"]] = create_contact(actor, "professional", row)
    return by_name


def _labels(actor) -> dict:
    """The demo labels by name, reusing a studio label of the same name."""
    existing = {label.name.casefold(): label for label in labels.all_labels()}
    for name, color in LABELS:
        if name.casefold() not in existing:
            existing[name.casefold()] = labels.create_label(
                actor, name=name, color=color, entity_types=CONTACT_KINDS
            )
    return {name: existing[name.casefold()] for name, _color in LABELS}


def _attach_labels(actor, contacts: dict) -> None:
    found = _labels(actor)
    for label_name, names in LABELLED:
        label = found[label_name]
        for name in names:
            contact = contacts[name]
            if label.is_active and label.applies_to(contact.entity_type):
                labels.attach_label(actor, label, contact.entity_type, contact.id, contact.name)


def _conversations(actor, contacts: dict) -> None:
    """The log, written by the whole team so the demo shows several authors."""
    team = list(db.session.scalars(select(Membership).order_by(Membership.role))) or [actor]
    now = utcnow()
    for number, row in enumerate(_rows(CONVERSATION_COLUMNS, CONVERSATIONS)):
        communication.log_communication(
            team[number % len(team)],
            contacts[row["contact"]],
            type=row["type"],
            direction=row["direction"],
            subject=row["subject"],
            content=row["content"],
            date=now - timedelta(days=int(row["days_ago"]), hours=number),
        )


def seed_contacts(tenant, actor=None) -> bool:
    """The demo address book for `tenant` as `actor` (default: the owner). False when it has
    clients already, or when the contacts tables do not exist yet (an older schema)."""
    if not inspect(db.session.connection()).has_table("clients"):
        return False
    # `flask seed-demo` has no request to pick a locale from: the history's old → new values
    # are written in the studio's language (the default, Hebrew).
    locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    with tenant_scope(tenant.id), force_locale(locale):
        if db.session.scalar(select(Client.id).limit(1)) is not None:
            return False
        actor = actor or db.session.scalar(select(Membership).where(Membership.role == "owner"))
        contacts = _clients(actor)
        contacts |= _suppliers(actor) | _professionals(actor)
        _attach_labels(actor, contacts)
        _conversations(actor, contacts)
        db.session.flush()
    return True
