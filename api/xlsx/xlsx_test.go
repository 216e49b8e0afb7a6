package xlsx_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"chuyenhoa/api/xlsx"
	"chuyenhoa/domain"
)

func TestPlaceAndDateLine(t *testing.T) {
	for _, tc := range []struct{ unit, place string }{
		{"Tỉnh Bắc Giang", "Bắc Giang"},
		{"Thị xã Việt Yên", "Việt Yên"},
		{"Thành phố Hà Nội", "Hà Nội"},
		{"Phường Nếnh", "Nếnh"},
		{"Xã Quang Châu", "Quang Châu"},
		{"Thị trấn Neo", "Neo"},
		{"Bắc Giang", "Bắc Giang"},
		{"Tỉnh", "Tỉnh"},
	} {
		if got := xlsx.Place(tc.unit); got != tc.place {
			t.Errorf("Place(%q) = %q, want %q", tc.unit, got, tc.place)
		}
	}
	vn := domain.VietnamLocation()
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, time.January, 5, 9, 0, 0, 0, vn), "Bắc Giang, ngày 05 tháng 01 năm 2026"},
		{time.Date(2026, time.July, 20, 9, 0, 0, 0, vn), "Bắc Giang, ngày 20 tháng 7 năm 2026"},
		// 18:00 UTC on 31/12 is already 1 January in Vietnam.
		{time.Date(2025, time.December, 31, 18, 0, 0, 0, time.UTC), "Bắc Giang, ngày 01 tháng 01 năm 2026"},
	} {
		if got := xlsx.DateLine("Tỉnh Bắc Giang", tc.at); got != tc.want {
			t.Errorf("DateLine(%v) = %q, want %q", tc.at, got, tc.want)
		}
	}
	if got, want := xlsx.Committee("Tỉnh Bắc Giang"), "BAN CHỈ ĐẠO TỈNH BẮC GIANG"; got != want {
		t.Errorf("Committee = %q, want %q", got, want)
	}
	if got, want := xlsx.ExportDate(time.Date(2025, time.December, 31, 18, 0, 0, 0, time.UTC)), "01/01/2026"; got != want {
		t.Errorf("ExportDate = %q, want %q", got, want)
	}
}

func mustOpen(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// findRow returns the cells of the first row of sheet whose cells include want.
func findRow(t *testing.T, f *excelize.File, sheet, want string) (int, []string) {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if slices.Contains(r, want) {
			return i + 1, r
		}
	}
	t.Fatalf("sheet %s has no cell %q", sheet, want)
	return 0, nil
}

func TestComparisonWorkbook(t *testing.T) {
	vn := domain.VietnamLocation()
	change := 2
	in := xlsx.Comparison{
		Heading:       xlsx.Heading{Unit: "Tỉnh Bắc Giang", Now: time.Date(2024, time.March, 20, 9, 0, 0, 0, vn)},
		CampaignTitle: "Chuyển hóa địa bàn trọng điểm năm 2024",
		Period:        domain.DefaultCalendar(2024)[0],
		Scope:         "Tỉnh Bắc Giang",
		Table: domain.Comparison{
			Rows: []domain.CompareRow{{UnitName: "Phường Nếnh", DistrictID: 3, DistrictName: "Thị xã Việt Yên", ReportStatus: domain.CompareReportAccepted,
				Timeliness: domain.TimelinessOnTime, MetCount: 5, Trend: domain.TrendUp, Change: &change, Rank: 1,
				Statuses: [7]string{"met", "met", "not_met", "met", "not_applicable", "met", "missing"}}},
			Districts: []domain.DistrictSummary{{DistrictID: 3, DistrictName: "Thị xã Việt Yên", ScopeSummary: domain.ScopeSummary{TargetAreas: 1,
				Rates: domain.ReportingRates{Expected: 1, Received: 1, OnTime: 1, Completeness: domain.Ratio{Num: 1, Den: 1, Display: "100%"}}}}},
			Total: 1,
		},
	}
	b, err := xlsx.ComparisonWorkbook(in)
	if err != nil {
		t.Fatal(err)
	}
	f := mustOpen(t, b)
	if got, want := f.GetSheetList(), []string{xlsx.CompareSheet, xlsx.RatesSheet}; !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	findRow(t, f, xlsx.CompareSheet, "BAN CHỈ ĐẠO TỈNH BẮC GIANG")
	findRow(t, f, xlsx.CompareSheet, xlsx.CompareTitle)
	findRow(t, f, xlsx.CompareSheet, "Kỳ báo cáo: Quý I năm 2024 (từ 15/12/2023 đến 12/03/2024; hạn nộp trước ngày 13/03/2024)")
	findRow(t, f, xlsx.CompareSheet, "Bắc Giang, ngày 20 tháng 3 năm 2024")
	hr, header := findRow(t, f, xlsx.CompareSheet, "STT")
	_, sub := findRow(t, f, xlsx.CompareSheet, "TC1")
	for i, h := range xlsx.CompareHeaders() {
		if header[i] != h && sub[i] != h {
			t.Errorf("header column %d = %q / %q, want %q", i+1, header[i], sub[i], h)
		}
	}
	_, row := findRow(t, f, xlsx.CompareSheet, "Phường Nếnh")
	want := []string{"1", "Phường Nếnh", "Thị xã Việt Yên", "Đạt", "Đạt", "Chưa đạt", "Đạt", "Không áp dụng", "Đạt", "Thiếu số liệu",
		"5", "Đã chấp nhận", "Đúng hạn", "▲ tăng 2", "1"}
	if !slices.Equal(row, want) {
		t.Errorf("row %q, want %q", row, want)
	}
	panes, err := f.GetPanes(xlsx.CompareSheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != hr+1 {
		t.Errorf("panes %+v, want frozen under row %d", panes, hr+1)
	}
	layout, err := f.GetPageLayout(xlsx.CompareSheet)
	if err != nil {
		t.Fatal(err)
	}
	if *layout.Size != 9 || *layout.Orientation != "landscape" {
		t.Errorf("page %d %s, want A4 (9) landscape", *layout.Size, *layout.Orientation)
	}
	findRow(t, f, xlsx.CompareSheet, xlsx.Preparer)
	findRow(t, f, xlsx.CompareSheet, "Ngày xuất: 20/03/2024")
	_, rates := findRow(t, f, xlsx.RatesSheet, "Thị xã Việt Yên")
	if got, want := strings.Join(rates[:6], "|"), "1|Thị xã Việt Yên|1|1|1|100%"; got != want {
		t.Errorf("rates row %q, want %q", got, want)
	}
	findRow(t, f, xlsx.RatesSheet, "Tổng cộng")
}

func TestReportWorkbook(t *testing.T) {
	vn := domain.VietnamLocation()
	sub := time.Date(2024, time.March, 10, 9, 0, 0, 0, vn)
	in := xlsx.Report{
		Heading: xlsx.Heading{Unit: "Phường Nếnh", Superior: "Thị xã Việt Yên", Now: time.Date(2024, time.March, 20, 9, 0, 0, 0, vn)},
		Period:  domain.DefaultCalendar(2024)[0], Unit: "Phường Nếnh", UnitCode: "07795",
		Status: domain.ReportSubmitted, Revision: 1, SubmittedAt: &sub, Timeliness: domain.TimelinessOnTime,
		Groups: []xlsx.ReportGroup{{Name: "Tin báo, tố giác tội phạm", Lines: []xlsx.ReportLine{
			{Label: "Tin báo, tố giác tội phạm tiếp nhận", Unit: "tin", Value: domain.CountValue(1234)},
			{Label: "Có tội phạm hoạt động theo kiểu xã hội đen", Value: domain.BoolValue(false)},
			{Label: "Chưa nhập gì", Value: domain.Value{}},
		}}},
		Criteria: []domain.CriterionResult{{Number: 1, Name: "Tiếp nhận, xử lý tin báo, tố giác tội phạm", Status: domain.CriterionNotMet, Reason: "Tỷ lệ xử lý 9/10 = 90,00% < 100%"}},
		MetCount: 0,
	}
	b, err := xlsx.ReportWorkbook(in)
	if err != nil {
		t.Fatal(err)
	}
	f := mustOpen(t, b)
	findRow(t, f, xlsx.ReportSheet, "BAN CHỈ ĐẠO THỊ XÃ VIỆT YÊN")
	findRow(t, f, xlsx.ReportSheet, "BAN CHỈ ĐẠO PHƯỜNG NẾNH")
	findRow(t, f, xlsx.ReportSheet, xlsx.ReportTitle)
	findRow(t, f, xlsx.ReportSheet, "Nếnh, ngày 20 tháng 3 năm 2024")
	_, row := findRow(t, f, xlsx.ReportSheet, "Tin báo, tố giác tội phạm tiếp nhận")
	if got, want := strings.Join(row[:4], "|"), "1.1|Tin báo, tố giác tội phạm tiếp nhận|tin|1,234"; got != want {
		t.Errorf("row %q, want %q", got, want)
	}
	_, row = findRow(t, f, xlsx.ReportSheet, "Có tội phạm hoạt động theo kiểu xã hội đen")
	if row[3] != "Không" {
		t.Errorf("bool value %q, want Không", row[3])
	}
	_, row = findRow(t, f, xlsx.ReportSheet, "Tiếp nhận, xử lý tin báo, tố giác tội phạm")
	if got, want := strings.Join(row[:4], "|"), "1|Tiếp nhận, xử lý tin báo, tố giác tội phạm|Chưa đạt|Tỷ lệ xử lý 9/10 = 90,00% < 100%"; got != want {
		t.Errorf("criterion row %q, want %q", got, want)
	}
	_, row = findRow(t, f, xlsx.ReportSheet, "Ngày nộp")
	if got, want := row[2], "10/03/2024"; got != want {
		t.Errorf("submitted %q, want %q", got, want)
	}
	findRow(t, f, xlsx.ReportSheet, "Số tiêu chí đạt: 0/7")
	findRow(t, f, xlsx.ReportSheet, xlsx.Head)
}
