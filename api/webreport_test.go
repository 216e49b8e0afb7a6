package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"chuyenhoa/store/storetest"
)

// reportForm is the ward's part of a Q1 report.
func wardValues() url.Values {
	return url.Values{
		"v.households": {"1.200"}, "v.households_reached": {"1150"},
		"v.models_active": {"4"}, "v.models_effective": {"3"}, "v.community_rules": {"true"},
		"v.propaganda_sessions": {"12"},
	}
}

func TestWebReportWorkflow(t *testing.T) {
	t.Parallel() // its own database and server, no Redis, no clock bounds
	storetest.ForEachDB(t, func(t *testing.T, db *bunDB) {
		f := mustUIFixture(t, db)
		f.now = time.Date(2024, time.March, 4, 2, 0, 0, 0, time.UTC)
		camp := f.mustCampaign(t, "nenh", "quangchau")
		nenh := camp.areas["nenh"]
		path := "/target-areas/" + itoa(nenh.ID) + "/reports/Q1"

		ward := f.browser(t)
		ward.login("nenh")
		t.Run("the ward's home shows the deadline", func(t *testing.T) {
			p := ward.get("/")
			mustContain(t, p, "Quý I năm 2024", "13/03/2024", "còn 9 ngày")
		})
		t.Run("the form is grouped as the official report", func(t *testing.T) {
			p := ward.get(path)
			if p.Status != http.StatusOK {
				t.Fatalf("status %d\n%s", p.Status, p.Body)
			}
			mustContain(t, p, "Tiếp nhận, xử lý tin báo, tố giác tội phạm", "Hệ thống chính trị cơ sở",
				`<label for="v-households">Số hộ dân trên địa bàn`, "Không lớn hơn số hộ dân trên địa bàn", "Do Công an nhập")
			if strings.Contains(p.Body, `name="v.tips_received"`) {
				t.Error("the ward may edit a police figure")
			}
		})
		t.Run("an invalid value is named next to its field and nothing is saved", func(t *testing.T) {
			form := wardValues()
			form.Set("v.households_reached", "12a")
			form.Set("version", "0")
			form.Set("action", "save")
			p := ward.submit(path, path, form)
			if p.Status != http.StatusBadRequest {
				t.Fatalf("status %d", p.Status)
			}
			mustContain(t, p, `id="v-households_reached-error"`, "Số hộ dân được phổ biến, tuyên truyền về phòng, chống tội phạm phải là số nguyên không âm",
				`value="12a"`, `aria-invalid="true"`, `value="1.200"`)
			if p := ward.get(path); strings.Contains(p.Body, `value="1200"`) {
				t.Error("the refused save stored values")
			}
		})
		t.Run("a cross-field rule is named too", func(t *testing.T) {
			form := wardValues()
			form.Set("v.households_reached", "1300")
			form.Set("version", "0")
			p := ward.submit(path, path, form)
			mustContain(t, p, "không được lớn hơn số hộ dân trên địa bàn (1.200)")
		})
		t.Run("corrected and submitted", func(t *testing.T) {
			form := wardValues()
			form.Set("version", "0")
			form.Set("action", "submit")
			p := ward.submit(path, path, form)
			if p.Status != http.StatusSeeOther {
				t.Fatalf("status %d\n%s", p.Status, p.Body)
			}
			p = ward.get(path)
			mustContain(t, p, "Đã gửi báo cáo lên cấp trên.", "Đã gửi, chờ xét duyệt", "Đúng hạn", "1.200")
			if strings.Contains(p.Body, `name="v.households"`) {
				t.Error("a submitted report is still editable")
			}
		})
		district := f.browser(t)
		district.login("huyen")
		t.Run("the district's home shows the campaign's deadlines", func(t *testing.T) {
			p := district.get("/")
			mustContain(t, p, "Hạn nộp sắp tới và quá hạn", "Quý I năm 2024 — đã nhận", "13/03/2024", "còn 9 ngày")
		})
		var reportID string
		t.Run("the district's queue and return with reasons", func(t *testing.T) {
			q := district.get("/review")
			mustContain(t, q, "Phường Nếnh", "Quý I năm 2024")
			p := district.get(path)
			mustContain(t, p, "Xét duyệt báo cáo", "Đây là lần gửi đầu tiên.", `name="r.households_reached"`)
			reportID = regexpFind(`action="/reports/(\d+)/return"`, p.Body)
			version := regexpFind(`id="return-form">\s*<input type="hidden" name="_csrf" value="[^"]+"><input type="hidden" name="version" value="(\d+)"`, p.Body)
			empty := district.submit(path, "/reports/"+reportID+"/return", url.Values{"version": {version}})
			if empty.Status != http.StatusBadRequest {
				t.Fatalf("return without reason = %d", empty.Status)
			}
			mustContain(t, empty, `id="return-reason-error"`)
			r := district.submit(path, "/reports/"+reportID+"/return", url.Values{"version": {version},
				"reason": {"Số hộ được tuyên truyền chưa khớp sổ theo dõi"}, "r.households_reached": {"Kiểm tra lại theo sổ tuyên truyền"}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("return = %d\n%s", r.Status, r.Body)
			}
		})
		t.Run("the ward sees the reasons, corrects and resubmits", func(t *testing.T) {
			p := ward.get(path)
			mustContain(t, p, "Cấp huyện đã trả lại báo cáo", "Số hộ được tuyên truyền chưa khớp sổ theo dõi", "Kiểm tra lại theo sổ tuyên truyền", "Bị trả lại")
			version := regexpFind(`name="version" value="(\d+)"`, p.Body)
			idem := regexpFind(`name="idem" value="([0-9a-f]+)"`, p.Body)
			if idem == "" {
				t.Fatal("the report form carries no idempotency key")
			}
			form := url.Values{"version": {version}, "action": {"submit"}, "v.households_reached": {"1100"}, "idem": {idem}}
			r := ward.submit(path, path, form)
			if r.Status != http.StatusSeeOther {
				t.Fatalf("resubmit = %d\n%s", r.Status, r.Body)
			}
			// The same form posted again (a double click on a slow line)
			// lands on the first answer, not a conflict.
			again := ward.submit(path, path, form)
			if again.Status != http.StatusSeeOther {
				t.Fatalf("repeated submit = %d\n%s", again.Status, again.Body)
			}
		})
		t.Run("the district sees the change and accepts", func(t *testing.T) {
			p := district.get(path)
			mustContain(t, p, "Thay đổi so với lần gửi trước (lần 1)", `<span class="diff-old">1.150</span>`, `<span class="diff-new">1.100</span>`)
			version := regexpFind(`action="/reports/\d+/accept"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+"><input type="hidden" name="version" value="(\d+)"`, p.Body)
			r := district.submit(path, "/reports/"+reportID+"/accept", url.Values{"version": {version}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("accept = %d\n%s", r.Status, r.Body)
			}
			mustContain(t, district.get(path), "Đã chấp nhận")
		})
		t.Run("the province sees the row change", func(t *testing.T) {
			prov := f.browser(t)
			prov.login("tinh")
			p := prov.get("/compare?period=Q1")
			if p.Status != http.StatusOK {
				t.Fatalf("compare = %d\n%s", p.Status, p.Body)
			}
			row := regexpFind(`(<tr id="row-07795">.*?</tr>)`, p.Body)
			for _, want := range []string{"Phường Nếnh", "Đã chấp nhận", "Đúng hạn", "s-met"} {
				if !strings.Contains(row, want) {
					t.Errorf("row lacks %q: %s", want, row)
				}
			}
			mustContain(t, p, "Xã Quang Châu", "<svg", "Tỷ lệ nộp báo cáo theo huyện", `aria-sort="ascending"`)
		})
	})
}
