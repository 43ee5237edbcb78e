"""The CSV import of clients in the browser: upload, the Hebrew headers mapped by themselves,
the preview naming the bad row, and importing only the valid rows."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import CONTACTS_OWNER as OWNER
from tests.browser.pages import open_import, seed_contacts, sign_in

pytestmark = pytest.mark.browser

IMPORT_CSV = (
    "שם,אימייל,טלפון,עיר\n"
    "נועה ברק,noa@example.com,050-1112222,חיפה\n"
    "יואב כץ,not-an-email,052-3334444,אילת\n"
    "ליה שמש,lia@example.com,054-5556666,עכו\n"
)


def test_import_a_csv_with_one_bad_row(page, seed, tmp_path):
    seed_contacts(seed)
    csv_file = tmp_path / "לקוחות.csv"
    csv_file.write_text(IMPORT_CSV, encoding="utf-8")
    sign_in(page, OWNER)
    open_import(page)

    # 1. Upload.
    page.get_by_label("קובץ CSV").set_input_files(str(csv_file))
    page.get_by_role("button", name="העלאה והמשך").click()

    # 2. Mapping: the Hebrew headers are recognised.
    expect(page.locator("[aria-current=step]")).to_contain_text("מיפוי עמודות")
    mapping = page.locator("#import-columns")
    expect(mapping).to_contain_text("3 שורות")
    for column, key in (("שם", "name"), ("אימייל", "email"), ("טלפון", "phone"), ("עיר", "city")):
        expect(mapping.get_by_label(f'שדה עבור העמודה "{column}"')).to_have_value(key)
    page.get_by_role("button", name="המשך לבדיקת השורות").click()

    # 3. Preview: the bad row by its spreadsheet number, and what is wrong with it.
    expect(page.locator("[aria-current=step]")).to_contain_text("בדיקה ואישור")
    expect(page.locator("#import-errors")).to_contain_text(
        "שורה 3: אימייל — כתובת האימייל אינה תקינה"
    )
    bad = page.locator("#import-sample tbody tr", has_text="יואב כץ")
    expect(bad).to_contain_text("שגיאה")
    expect(bad.locator("td.num")).to_have_text("3")
    confirm = page.locator("#import-confirm")
    expect(confirm).to_contain_text("ייובאו 2 אנשי קשר.")
    confirm.get_by_role("button", name="ייבוא השורות התקינות בלבד").click()

    # 4. Done, and the two good rows are in the list.
    result = page.locator("#import-result")
    expect(result).to_contain_text("נוצרו 2 אנשי קשר.")
    expect(result).to_contain_text("שורה אחת עם שגיאה לא יובאה.")
    result.get_by_role("link", name="חזרה לרשימה").click()
    names = page.locator("#contacts-list .data-table__primary a")
    expect(names).to_have_count(2)
    expect(page.locator("#contacts-list")).to_contain_text("נועה ברק")
    expect(page.locator("#contacts-list")).to_contain_text("ליה שמש")
    expect(page.locator("#contacts-list")).not_to_contain_text("יואב כץ")
