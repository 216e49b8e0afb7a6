package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"chuyenhoa/api/xlsx"
	"chuyenhoa/domain"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// mustXLSX checks that an answer is an .xlsx download and opens it.
func mustXLSX(t *testing.T, res response, filename string) *excelize.File {
	t.Helper()
	if res.Status != http.StatusOK {
		t.Fatalf("status %d: %s", res.Status, res.Body)
	}
	if got := res.Header.Get("Content-Type"); got != xlsx.ContentType {
		t.Errorf("Content-Type %q, want %q", got, xlsx.ContentType)
	}
	cd := res.Header.Get("Content-Disposition")
	if !strings.HasPrefix(cd, `attachment; filename="`+filename+`"; filename*=UTF-8''`) {
		t.Errorf("Content-Disposition %q, want attachment with filename %q and filename*", cd, filename)
	}
	for _, r := range cd {
		if r > 127 {
			t.Errorf("Content-Disposition %q is not ASCII", cd)
			break
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(res.Body))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// rowWith returns the first row of sheet holding a cell equal to want.
func rowWith(t *testing.T, f *excelize.File, sheet, want string) []string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if slices.Contains(r, want) {
			return r
		}
	}
	t.Fatalf("sheet %q has no cell %q", sheet, want)
	return nil
}

// lastRowWith returns the last row of sheet holding a cell equal to want.
func lastRowWith(t *testing.T, f *excelize.File, sheet, want string) []string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(rows) - 1; i >= 0; i-- {
		if slices.Contains(rows[i], want) {
			return rows[i]
		}
	}
	t.Fatalf("sheet %q has no cell %q", sheet, want)
	return nil
}

// hasCell reports whether any cell of sheet equals want.
func hasCell(t *testing.T, f *excelize.File, sheet, want string) bool {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(rows, func(r []string) bool { return slices.Contains(r, want) })
}

func indicatorLabel(t *testing.T, code string) string {
	t.Helper()
	ind, ok := domain.FindIndicator(domain.DefaultIndicators(), code)
	if !ok {
		t.Fatalf("no indicator %s", code)
	}
	return ind.Label
}

// TestExportXLSX: the comparison and a report as Excel workbooks through
// the API, their layout and content, scope (404) and permission (403).
func TestExportXLSX(t *testing.T) {
	t.Parallel() // its own database and server, no Redis, no clock bounds
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustReportFixture(t, db)
		hn := f.unit(t, tenants.NewUnit{Code: "01", Name: "Thành phố Hà Nội", Kind: "province"})
		f.tok["hanoi"] = f.user(t, "u.hanoi", hn, "province")
		f.targetAreas(t, f.campaignID, f.quang.ID)

		// Nếnh's Q1: every criterion met but the 7th (no baseline), sent on time.
		f.clock.Set(vnTime(2024, time.March, 10))
		r := enterReport(t, f, f.nenhTA, "Q1", 1200, 1200)
		f.must(t, f.tok["ward"], "POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), fmt.Sprintf(`{"version":%d}`, r.Version), http.StatusOK, &r)
		f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/reports/%d/assessment", r.ID), `{"met":true,"note":"Chi bộ vững mạnh"}`, http.StatusOK, nil)
		f.clock.Set(vnTime(2024, time.March, 20))

		cmp := fmt.Sprintf("/api/v1/campaigns/%d/compare.xlsx?period=Q1", f.campaignID)
		t.Run("comparison", func(t *testing.T) {
			res := f.do(t, f.tok["province"], "GET", cmp, "")
			x := mustXLSX(t, res, "tong-hop-chuyen-hoa-quy-i-nam-2024-2024-03-20.xlsx")
			if !strings.Contains(res.Header.Get("Content-Disposition"), "filename*=UTF-8''T%E1%BB%95ng%20h%E1%BB%A3p%20chuy%E1%BB%83n%20h%C3%B3a%20Qu%C3%BD%20I") {
				t.Errorf("filename* = %q", res.Header.Get("Content-Disposition"))
			}
			if res.Header.Get("X-Cache") == "" {
				t.Error("no X-Cache: not read through the comparison service")
			}
			if got, want := x.GetSheetList(), []string{xlsx.CompareSheet, xlsx.RatesSheet}; !slices.Equal(got, want) {
				t.Fatalf("sheets %q, want %q", got, want)
			}
			s := xlsx.CompareSheet
			for _, want := range []string{"BAN CHỈ ĐẠO TỈNH BẮC GIANG", xlsx.NationalName, xlsx.Motto, "Bắc Giang, ngày 20 tháng 3 năm 2024", xlsx.CompareTitle,
				"Kỳ báo cáo: Quý I năm 2024 (từ 15/12/2023 đến 12/03/2024; hạn nộp trước ngày 13/03/2024)",
				"Ngày xuất: 20/03/2024", xlsx.Preparer, xlsx.Head} {
				if !hasCell(t, x, s, want) {
					t.Errorf("comparison sheet lacks %q", want)
				}
			}
			header := rowWith(t, x, s, "STT")
			sub := rowWith(t, x, s, "TC1")
			for i, h := range xlsx.CompareHeaders() {
				if i >= len(header) || (header[i] != h && sub[i] != h) {
					t.Errorf("header column %d: %q / %q, want %q", i+1, header, sub, h)
				}
			}
			want := []string{"1", "Phường Nếnh", "Thị xã Việt Yên", "Đạt", "Đạt", "Đạt", "Đạt", "Đạt", "Đạt", "Đạt",
				"7", "Đã gửi, chờ xét duyệt", "Đúng hạn", "—", "1"}
			if got := rowWith(t, x, s, "Phường Nếnh"); !slices.Equal(got, want) {
				t.Errorf("Nếnh row\n got %q\nwant %q", got, want)
			}
			quang := rowWith(t, x, s, "Xã Quang Châu")
			if got, want := strings.Join(quang[10:], "|"), "0|Chưa có báo cáo|Quá hạn, chưa nộp|—|2"; got != want {
				t.Errorf("Quang Châu row %q, want …%q", quang, want)
			}
			panes, err := x.GetPanes(s)
			if err != nil {
				t.Fatal(err)
			}
			if !panes.Freeze || panes.YSplit == 0 {
				t.Errorf("header not frozen: %+v", panes)
			}
			rates := rowWith(t, x, xlsx.RatesSheet, "Thị xã Việt Yên")
			if got, want := strings.Join(rates[:7], "|"), "1|Thị xã Việt Yên|2|1|1|50%|50%"; got != want {
				t.Errorf("rates row %q, want %q", rates, want)
			}
			rowWith(t, x, xlsx.RatesSheet, "Tổng cộng")
		})
		t.Run("comparison filtered as the JSON one", func(t *testing.T) {
			x := mustXLSX(t, f.do(t, f.tok["province"], "GET", cmp+"&report_status=missing", ""), "tong-hop-chuyen-hoa-quy-i-nam-2024-2024-03-20.xlsx")
			if hasCell(t, x, xlsx.CompareSheet, "Phường Nếnh") || !hasCell(t, x, xlsx.CompareSheet, "Xã Quang Châu") {
				t.Error("report_status=missing kept the wrong rows")
			}
			if !hasCell(t, x, xlsx.CompareSheet, "Phạm vi: Tỉnh Bắc Giang; tình trạng báo cáo: Chưa có báo cáo") {
				t.Error("the filter is not described")
			}
			mustAPIError(t, f.do(t, f.tok["province"], "GET", fmt.Sprintf("/api/v1/campaigns/%d/compare.xlsx", f.campaignID), ""), http.StatusBadRequest, domain.EINVALID)
			mustAPIError(t, f.do(t, f.tok["province"], "GET", cmp+"&sort=nope", ""), http.StatusBadRequest, domain.EINVALID)
		})
		t.Run("comparison at the district's scope", func(t *testing.T) {
			x := mustXLSX(t, f.do(t, f.tok["district"], "GET", cmp, ""), "tong-hop-chuyen-hoa-quy-i-nam-2024-2024-03-20.xlsx")
			if !hasCell(t, x, xlsx.CompareSheet, "BAN CHỈ ĐẠO THỊ XÃ VIỆT YÊN") || !hasCell(t, x, xlsx.CompareSheet, "Phường Nếnh") {
				t.Error("the district's export lacks its heading or its ward")
			}
			x = mustXLSX(t, f.do(t, f.tok["district2"], "GET", cmp, ""), "tong-hop-chuyen-hoa-quy-i-nam-2024-2024-03-20.xlsx")
			if hasCell(t, x, xlsx.CompareSheet, "Phường Nếnh") || hasCell(t, x, xlsx.RatesSheet, "Thị xã Việt Yên") {
				t.Error("another district's export shows Việt Yên's wards")
			}
		})
		t.Run("comparison refused", func(t *testing.T) {
			mustAPIError(t, f.do(t, f.tok["hanoi"], "GET", cmp, ""), http.StatusNotFound, domain.ENOTFOUND)
			for _, who := range []string{"ward", "police", "dpolice", "admin"} {
				mustAPIError(t, f.do(t, f.tok[who], "GET", cmp, ""), http.StatusForbidden, domain.EFORBIDDEN)
			}
			mustAPIError(t, f.do(t, "", "GET", cmp, ""), http.StatusUnauthorized, domain.EUNAUTHENTICATED)
		})

		rp := fmt.Sprintf("/api/v1/reports/%d/export.xlsx", r.ID)
		t.Run("report", func(t *testing.T) {
			res := f.do(t, f.tok["ward"], "GET", rp, "")
			x := mustXLSX(t, res, "bao-cao-chuyen-hoa-phuong-nenh-quy-i-nam-2024.xlsx")
			s := xlsx.ReportSheet
			for _, want := range []string{"BAN CHỈ ĐẠO PHƯỜNG NẾNH", xlsx.NationalName, "Nếnh, ngày 20 tháng 3 năm 2024", xlsx.ReportTitle,
				xlsx.DataSection, xlsx.CriteriaSection, "Số tiêu chí đạt: 7/7", xlsx.Preparer, xlsx.Head,
				domain.DefaultIndicatorGroups()[0].Name} {
				if !hasCell(t, x, s, want) {
					t.Errorf("report sheet lacks %q", want)
				}
			}
			for label, want := range map[string]string{"Địa bàn": "Phường Nếnh (mã 07795)", "Tình trạng báo cáo": "Đã gửi, chờ xét duyệt",
				"Lần nộp": "1", "Ngày nộp": "10/03/2024", "Hạn nộp": "trước ngày 13/03/2024 — Đúng hạn"} {
				if row := rowWith(t, x, s, label); len(row) < 3 || row[2] != want {
					t.Errorf("%s: row %q, want %q", label, row, want)
				}
			}
			row := rowWith(t, x, s, indicatorLabel(t, domain.IndHouseholds))
			if got, want := strings.Join(row[2:4], "|"), "hộ|1,200"; got != want {
				t.Errorf("households row %q, want …%q", row, want)
			}
			row = rowWith(t, x, s, indicatorLabel(t, domain.IndCommunityRules))
			if row[3] != "Có" {
				t.Errorf("community rules row %q, want Có", row)
			}
			row = rowWith(t, x, s, indicatorLabel(t, domain.IndPoliticalSystem))
			if row[3] != "Đạt: Chi bộ vững mạnh" {
				t.Errorf("political system row %q", row)
			}
			// The criteria come last (criterion 1 is named as the first section).
			cr := domain.SuccessCriteria()
			row = lastRowWith(t, x, s, cr[0].Name)
			if len(row) < 4 || row[0] != "1" || row[2] != "Đạt" || !strings.Contains(row[3], "12/12") {
				t.Errorf("criterion 1 row %q", row)
			}
			row = lastRowWith(t, x, s, cr[6].Name)
			if len(row) < 4 || row[2] != "Đạt" || !strings.Contains(row[3], "(12 − 9)/12 = 25,00%") {
				t.Errorf("criterion 7 row %q", row)
			}
			for _, who := range []string{"province", "district", "police"} {
				mustXLSX(t, f.do(t, f.tok[who], "GET", rp, ""), "bao-cao-chuyen-hoa-phuong-nenh-quy-i-nam-2024.xlsx")
			}
		})
		t.Run("report refused", func(t *testing.T) {
			for _, who := range []string{"ward2", "district2", "hanoi"} {
				mustAPIError(t, f.do(t, f.tok[who], "GET", rp, ""), http.StatusNotFound, domain.ENOTFOUND)
			}
			mustAPIError(t, f.do(t, f.tok["province"], "GET", "/api/v1/reports/987654321/export.xlsx", ""), http.StatusNotFound, domain.ENOTFOUND)
			mustAPIError(t, f.do(t, f.tok["admin"], "GET", rp, ""), http.StatusForbidden, domain.EFORBIDDEN)
		})
	})
}

// provinceOf returns the id of the province of a unit: the first id of its path.
func provinceOf(u *tenants.Unit) int64 {
	if u == nil {
		return 0
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	id, _ := strconv.ParseInt(first, 10, 64)
	return id
}

// exportCompareCase is the authorisation matrix's case of the comparison
// export: the campaign of the target's province when there is one (else an
// absent one), which every caller of that province holding export:read may
// export at its own scope.
func exportCompareCase(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
	var ids []int64
	prov := provinceOf(target)
	if err := e.s.DB.NewSelect().Table("campaigns").Column("id").Where("province_id = ?", prov).OrderExpr("id").Limit(1).Scan(e.s.Root, &ids); err != nil {
		t.Fatal(err)
	}
	if len(ids) == 0 {
		return authCase{Path: fmt.Sprintf("/api/v1/campaigns/%d/compare.xlsx?period=Q1", phantomID), OK: 200, Other: 404}
	}
	return authCase{Path: fmt.Sprintf("/api/v1/campaigns/%d/compare.xlsx?period=Q1", ids[0]), OK: 200, Other: 404,
		InScope: a.unit != nil && provinceOf(a.unit) == prov}
}

// exportReportCase is the authorisation matrix's case of the report
// export: a report of the target unit when there is one (else an absent one).
func exportReportCase(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
	var ids []int64
	if err := e.s.DB.NewSelect().Table("reports").Column("id").Where("unit_id = ?", target.ID).OrderExpr("id").Limit(1).Scan(e.s.Root, &ids); err != nil {
		t.Fatal(err)
	}
	if len(ids) == 0 {
		return authCase{Path: fmt.Sprintf("/api/v1/reports/%d/export.xlsx", phantomID), OK: 200, Other: 404}
	}
	return authCase{Path: fmt.Sprintf("/api/v1/reports/%d/export.xlsx", ids[0]), OK: 200, Other: 404, InScope: e.covers(a, target)}
}

var exportLinkRE = regexp.MustCompile(`href="(/reports/\d+/export\.xlsx)"`)

// TestWebExportXLSX: the "Xuất Excel" button and link of the comparison and
// report pages, behind the session's permission check.
func TestWebExportXLSX(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustUIFixture(t, db)
		f.now = time.Date(2024, time.March, 4, 2, 0, 0, 0, time.UTC)
		camp := f.mustCampaign(t, "nenh", "quangchau")
		id := itoa(camp.campaign.ID)

		tinh := f.browser(t)
		tinh.login("tinh")
		p := tinh.get("/compare?campaign=" + id + "&period=Q1")
		mustContain(t, p, `formaction="/compare/export.xlsx"`, "Xuất Excel")
		p = tinh.get("/compare/export.xlsx?campaign=" + id + "&period=Q1&district_id=")
		if p.Status != http.StatusOK || p.Header.Get("Content-Type") != xlsx.ContentType {
			t.Fatalf("export = %d %s", p.Status, p.Header.Get("Content-Type"))
		}
		x, err := excelize.OpenReader(strings.NewReader(p.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		for _, want := range []string{"Phường Nếnh", "Xã Quang Châu", xlsx.CompareTitle} {
			if !hasCell(t, x, xlsx.CompareSheet, want) {
				t.Errorf("web export lacks %q", want)
			}
		}
		// Without ?period= the page's current period is exported.
		if p := tinh.get("/compare/export.xlsx?campaign=" + id); p.Status != http.StatusOK {
			t.Errorf("export without period = %d", p.Status)
		}

		ward := f.browser(t)
		ward.login("nenh")
		if p := ward.get("/compare/export.xlsx?campaign=" + id + "&period=Q1"); p.Status != http.StatusForbidden {
			t.Errorf("ward's comparison export = %d, want 403", p.Status)
		}
		path := "/target-areas/" + itoa(camp.areas["nenh"].ID) + "/reports/Q1"
		if p := ward.get(path); exportLinkRE.MatchString(p.Body) {
			t.Error("a report not saved yet offers an export")
		}
		form := wardValues()
		form.Set("version", "0")
		form.Set("action", "save")
		if p := ward.submit(path, path, form); p.Status != http.StatusSeeOther {
			t.Fatalf("save = %d\n%s", p.Status, p.Body)
		}
		p = ward.get(path)
		mustContain(t, p, "Xuất Excel")
		m := exportLinkRE.FindStringSubmatch(p.Body)
		if m == nil {
			t.Fatal("the report page has no export link")
		}
		p = ward.get(m[1])
		if p.Status != http.StatusOK || !strings.HasPrefix(p.Header.Get("Content-Disposition"), `attachment; filename="bao-cao-chuyen-hoa-phuong-nenh-quy-i-nam-2024.xlsx"`) {
			t.Fatalf("report export = %d %q", p.Status, p.Header.Get("Content-Disposition"))
		}
		x, err = excelize.OpenReader(strings.NewReader(p.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		if !hasCell(t, x, xlsx.ReportSheet, "BAN CHỈ ĐẠO PHƯỜNG NẾNH") || !hasCell(t, x, xlsx.ReportSheet, "Đang nhập") {
			t.Error("the web report export lacks its heading or status")
		}
		other := f.browser(t)
		other.login("quangchau")
		if p := other.get(m[1]); p.Status != http.StatusNotFound {
			t.Errorf("another ward's report export = %d, want 404", p.Status)
		}
		anon := f.browser(t)
		if p := anon.get(m[1]); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/login?next="+url.QueryEscape(m[1])) {
			t.Errorf("anonymous export = %d → %q, want the sign-in page", p.Status, p.Location)
		}
	})
}
