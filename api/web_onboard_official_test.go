package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// TestWebOnboardFromOfficialList: the admin's page offers the provinces of
// both embedded lists; picking one creates it with its wards, and a
// province already there is named on the picker.
func TestWebOnboardFromOfficialList(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustUIFixture(t, db)
		b := f.browser(t)
		b.login("admin")
		page := b.get("/admin/provinces")
		mustContain(t, page, `name="official_province"`, `<option value="2025:01">Danh mục 2025 — 01 Thành phố Hà Nội</option>`,
			`<option value="2019:24">Danh mục 2019 — 24 Tỉnh Bắc Giang</option>`, "Chọn từ danh mục đơn vị hành chính")

		form := func(pick, user string) url.Values {
			return url.Values{"official_province": {pick}, "admin.username": {user}, "admin.full_name": {"Cán bộ " + user}, "admin.password": {webPassword(user)}}
		}
		res := b.submit("/admin/provinces", "/admin/provinces", form("2025:01", "hanoi"))
		if res.Status != http.StatusSeeOther {
			t.Fatalf("create Hà Nội = %d\n%s", res.Status, res.Body)
		}
		mustContain(t, b.get(res.Location), "Đã tạo Thành phố Hà Nội cùng 0 đơn vị cấp huyện, 126 xã, phường theo danh mục, và tài khoản hanoi.")
		n, err := db.NewSelect().Model((*tenants.Unit)(nil)).Where("parent_id = (SELECT id FROM units WHERE code = '01')").Count(t.Context())
		if err != nil || n != 126 {
			t.Errorf("Hà Nội has %d wards (%v), want 126", n, err)
		}

		// Bắc Giang (24) is already in the fixture: named on the picker,
		// the typed account kept, nothing created.
		res = b.submit("/admin/provinces", "/admin/provinces", form("2019:24", "bacgiang2"))
		if res.Status != http.StatusConflict && res.Status != http.StatusBadRequest {
			t.Errorf("Bắc Giang again = %d, want a refusal", res.Status)
		}
		mustContain(t, res, "Mã 24 đã được dùng", `aria-invalid="true"`, `value="bacgiang2"`, `<option value="2019:24" selected>`)
	})
}
