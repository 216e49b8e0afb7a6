package xlsx

import (
	"strconv"

	"chuyenhoa/domain"
)

// Sheet names and title of the comparison export.
const (
	CompareSheet = "Tổng hợp"
	RatesSheet   = "Tỷ lệ báo cáo"
	CompareTitle = "BẢNG TỔNG HỢP KẾT QUẢ CHUYỂN HÓA ĐỊA BÀN TRỌNG ĐIỂM, PHỨC TẠP VỀ TTATXH"
	RatesTitle   = "TỶ LỆ BÁO CÁO VÀ KẾT QUẢ CHUYỂN HÓA THEO HUYỆN"
)

// CompareHeaders are the column headers of the comparison table, in order
// (the seven criteria share a group header above TC1…TC7).
func CompareHeaders() []string {
	h := []string{"STT", "Địa bàn", "Huyện"}
	for i := 1; i <= 7; i++ {
		h = append(h, "TC"+strconv.Itoa(i))
	}
	return append(h, "Số TC đạt", "Tình trạng báo cáo", "Thời hạn", "Xu hướng", "Hạng")
}

// RatesHeaders are the column headers of the reporting-rates sheet.
func RatesHeaders() []string {
	return []string{"STT", "Huyện", "Số báo cáo phải nộp", "Đã nộp", "Nộp đúng hạn", "Tỷ lệ đã nộp",
		"Tỷ lệ nộp đúng hạn", "Số TC đạt bình quân", "Đã chuyển hóa thành công", "Đề xuất chờ phê duyệt"}
}

// Comparison is the comparison view of one scope, campaign and period as
// exported.
type Comparison struct {
	Heading       Heading
	CampaignTitle string
	Period        domain.Period
	// Scope names the caller's subtree ("Tỉnh Bắc Giang").
	Scope string
	// Filters describe the filters applied to the rows, in Vietnamese
	// ("Huyện: Thị xã Việt Yên"); empty for none.
	Filters []string
	Table   domain.Comparison
}

// ComparisonWorkbook writes the comparison as a workbook: the table of
// target areas with their seven criteria, then the reporting rates and
// summaries per district.
func ComparisonWorkbook(c Comparison) ([]byte, error) {
	b := newBook(CompareTitle)
	compareSheet(b, c)
	ratesSheet(b, c)
	return b.bytes()
}

// districtName names a row's district; 0 is the bucket of wards directly
// under the province.
func districtName(id int64, name string) string {
	if id == 0 {
		return domain.DirectlyUnderProvince
	}
	return name
}

func compareSheet(b *book, c Comparison) {
	st := b.st
	widths := []float64{5, 22, 20, 10, 10, 10, 10, 10, 10, 10, 8, 18, 15, 12, 7}
	s := b.sheet(CompareSheet, widths)
	s.heading(c.Heading, 4, 10)
	r := s.line(CompareTitle, st.title)
	s.height(r, 36)
	if c.CampaignTitle != "" {
		s.line(c.CampaignTitle, st.subtitle)
	}
	s.line(PeriodLine(c.Period), st.place)
	scope := "Phạm vi: " + c.Scope
	if c.Scope == "" {
		scope = "Phạm vi: toàn bộ"
	}
	for _, f := range c.Filters {
		scope += "; " + f
	}
	s.line(scope, st.place)
	s.skip(1)

	// Two header rows: the criteria share a group header.
	h := s.row + 1
	headers := CompareHeaders()
	for i, text := range headers {
		col := i + 1
		if col >= 4 && col <= 10 {
			s.set(col, h+1, text, st.header)
			continue
		}
		s.merge(col, col, h, h+1, text, st.header)
	}
	s.merge(4, 10, h, h, "Kết quả thực hiện 7 tiêu chí chuyển hóa", st.header)
	s.height(h, 30)
	s.height(h+1, 30)
	s.freeze(h + 1)

	for i, row := range c.Table.Rows {
		r := h + 2 + i
		s.set(1, r, i+1, st.center)
		s.set(2, r, row.UnitName, st.text)
		s.set(3, r, districtName(row.DistrictID, row.DistrictName), st.text)
		for j, status := range row.Statuses {
			s.set(4+j, r, CriterionStatusText(status), b.statusStyle(status))
		}
		s.set(11, r, row.MetCount, st.center)
		s.set(12, r, ReportStatusText(row.ReportStatus), st.center)
		s.set(13, r, TimelinessText(row.Timeliness), st.center)
		s.set(14, r, TrendText(row.Trend, row.Change), st.center)
		if row.Rank > 0 {
			s.set(15, r, row.Rank, st.center)
		} else {
			s.set(15, r, "—", st.center)
		}
	}
	if len(c.Table.Rows) == 0 {
		s.merge(1, s.cols, h+2, h+2, "Không có địa bàn nào khớp bộ lọc.", st.center)
	}
	s.row = max(s.row, h+1+len(c.Table.Rows))

	s.skip(1)
	o := c.Table.Overall
	s.line("Số địa bàn trong bảng: "+strconv.Itoa(len(c.Table.Rows))+
		"; toàn phạm vi: "+strconv.Itoa(o.TargetAreas)+" địa bàn đang chuyển hóa, đã nộp báo cáo "+
		strconv.Itoa(o.Rates.Received)+"/"+strconv.Itoa(o.Rates.Expected)+" ("+o.Rates.Completeness.Display+"), đúng hạn "+
		strconv.Itoa(o.Rates.OnTime)+"/"+strconv.Itoa(o.Rates.Expected)+" ("+o.Rates.Timeliness.Display+"), số tiêu chí đạt bình quân "+
		o.AverageMet.Display+".", st.noteBold)
	s.line("Ghi chú: Hạng xếp theo số tiêu chí đạt trong các địa bàn đang chuyển hóa của toàn phạm vi; «Không áp dụng» là tiêu chí không có đối tượng để đánh giá.", st.note)
	for _, cr := range domain.SuccessCriteria() {
		s.line("TC"+strconv.Itoa(cr.Number)+": "+cr.Name, st.note)
	}
	s.signatures(c.Heading, 4, 10)
	s.print("landscape", c.Heading, h, h+1)
}

func ratesSheet(b *book, c Comparison) {
	st := b.st
	widths := []float64{5, 28, 12, 10, 10, 12, 12, 12, 14, 12}
	s := b.sheet(RatesSheet, widths)
	s.heading(c.Heading, 3, 6)
	r := s.line(RatesTitle, st.title)
	s.height(r, 24)
	if c.CampaignTitle != "" {
		s.line(c.CampaignTitle, st.subtitle)
	}
	s.line(PeriodLine(c.Period), st.place)
	s.line("Phạm vi: "+c.Scope+" (tỷ lệ tính trên các địa bàn đang chuyển hóa, không phụ thuộc bộ lọc)", st.place)
	s.skip(1)

	h := s.row + 1
	for i, text := range RatesHeaders() {
		s.set(i+1, h, text, st.header)
	}
	s.height(h, 45)
	s.freeze(h)
	write := func(r int, stt any, name string, sum domain.ScopeSummary, text, num int) {
		s.set(1, r, stt, st.center)
		s.set(2, r, name, text)
		s.set(3, r, sum.Rates.Expected, num)
		s.set(4, r, sum.Rates.Received, num)
		s.set(5, r, sum.Rates.OnTime, num)
		s.set(6, r, sum.Rates.Completeness.Display, num)
		s.set(7, r, sum.Rates.Timeliness.Display, num)
		s.set(8, r, sum.AverageMet.Display, num)
		s.set(9, r, sum.Exited, num)
		s.set(10, r, sum.Proposed, num)
	}
	for i, d := range c.Table.Districts {
		write(h+1+i, i+1, districtName(d.DistrictID, d.DistrictName), d.ScopeSummary, st.text, st.number)
	}
	total := h + 1 + len(c.Table.Districts)
	write(total, "", "Tổng cộng", c.Table.Overall, st.bold, st.boldNumber)
	s.set(1, total, nil, st.boldCenter)
	s.signatures(c.Heading, 3, 6)
	s.print("landscape", c.Heading, h, h)
}
