package xlsx

import (
	"strconv"
	"time"
	"unicode/utf8"

	"chuyenhoa/domain"
)

// Sheet name and title of the report export.
const (
	ReportSheet = "Báo cáo"
	ReportTitle = "BÁO CÁO KẾT QUẢ THỰC HIỆN CHUYỂN HÓA ĐỊA BÀN TRỌNG ĐIỂM, PHỨC TẠP VỀ TTATXH"
	// DataSection and CriteriaSection head the two parts of the form.
	DataSection     = "I. SỐ LIỆU BÁO CÁO"
	CriteriaSection = "II. KẾT QUẢ ĐÁNH GIÁ 7 TIÊU CHÍ CHUYỂN HÓA"
)

// ReportHeaders are the column headers of the report's data section.
func ReportHeaders() []string {
	return []string{"STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ý kiến của cấp trên"}
}

// CriteriaHeaders are the column headers of the report's criteria section
// (the last spans two columns).
func CriteriaHeaders() []string {
	return []string{"TC", "Tiêu chí", "Kết quả", "Căn cứ đánh giá"}
}

// Report is one periodic report of a target area as exported.
type Report struct {
	// Heading.Unit is the unit that reports (the target area's ward).
	Heading       Heading
	CampaignTitle string
	Period        domain.Period
	// Unit and UnitCode name the target area.
	Unit, UnitCode string
	// Status is the report's status (domain.CompareReportStatuses).
	Status string
	// Revision is the last submitted revision, 0 before the first submission.
	Revision int
	// SubmittedAt is the first submission, LastSubmittedAt the latest.
	SubmittedAt, LastSubmittedAt, AcceptedAt *time.Time
	Timeliness                               string
	// ReturnReason is the reviewer's reason when the report was returned.
	ReturnReason string
	Groups       []ReportGroup
	// Criteria are the seven criteria as last evaluated; empty when the
	// report has not been evaluated.
	Criteria []domain.CriterionResult
	MetCount int
}

// ReportGroup is one section of the indicator catalogue.
type ReportGroup struct {
	Name  string
	Lines []ReportLine
}

// ReportLine is one indicator with its value.
type ReportLine struct {
	Label, Unit string
	Value       domain.Value
	// Remark is the reviewer's remark on the indicator at the last return.
	Remark string
}

// ReportWorkbook writes one report as the official form: the heading, the
// report's status, its values grouped by section and the seven criteria
// with their verdicts and reasons.
func ReportWorkbook(rp Report) ([]byte, error) {
	b := newBook(ReportTitle)
	st := b.st
	widths := []float64{7, 50, 12, 16, 28}
	s := b.sheet(ReportSheet, widths)
	s.heading(rp.Heading, 2, 3)
	r := s.line(ReportTitle, st.title)
	s.height(r, 36)
	if rp.CampaignTitle != "" {
		s.line(rp.CampaignTitle, st.subtitle)
	}
	s.line(PeriodLine(rp.Period), st.place)
	s.skip(1)

	info := func(label, value string) {
		r := s.row + 1
		s.merge(1, 2, r, r, label, st.bold)
		s.merge(3, s.cols, r, r, value, st.text)
		s.fit(r, value, 12+16+28)
	}
	unit := rp.Unit
	if rp.UnitCode != "" {
		unit += " (mã " + rp.UnitCode + ")"
	}
	info("Địa bàn", unit)
	info("Tình trạng báo cáo", ReportStatusText(rp.Status))
	if rp.Revision > 0 {
		info("Lần nộp", strconv.Itoa(rp.Revision))
	} else {
		info("Lần nộp", "Chưa nộp")
	}
	if rp.SubmittedAt != nil {
		v := ExportDate(*rp.SubmittedAt)
		if rp.LastSubmittedAt != nil && ExportDate(*rp.LastSubmittedAt) != v {
			v += " (nộp lại ngày " + ExportDate(*rp.LastSubmittedAt) + ")"
		}
		info("Ngày nộp", v)
	}
	due := "—"
	if !rp.Period.Due.IsZero() {
		due = "trước ngày " + rp.Period.Due.FormatVN()
	}
	if t := TimelinessText(rp.Timeliness); t != "" {
		due += " — " + t
	}
	info("Hạn nộp", due)
	if rp.AcceptedAt != nil {
		info("Ngày chấp nhận", ExportDate(*rp.AcceptedAt))
	}
	if rp.Status == domain.CompareReportReturned && rp.ReturnReason != "" {
		info("Lý do trả lại", rp.ReturnReason)
	}

	s.skip(1)
	s.line(DataSection, st.noteBold)
	h := s.row + 1
	for i, text := range ReportHeaders() {
		s.set(i+1, h, text, st.header)
	}
	s.height(h, 30)
	r = h
	for gi, g := range rp.Groups {
		r++
		n := strconv.Itoa(gi + 1)
		s.set(1, r, n, st.group)
		s.merge(2, s.cols, r, r, g.Name, st.group)
		for li, l := range g.Lines {
			r++
			s.set(1, r, n+"."+strconv.Itoa(li+1), st.center)
			s.set(2, r, l.Label, st.text)
			s.set(3, r, l.Unit, st.center)
			if c, ok := l.Value.Count(); ok {
				s.set(4, r, c, st.number)
			} else {
				s.set(4, r, l.Value.FormatVN(), st.center)
			}
			s.set(5, r, l.Remark, st.text)
			s.fit(r, l.Label, 50)
			s.fit(r, l.Remark, 28)
		}
	}

	s.skip(1)
	s.line(CriteriaSection, st.noteBold)
	h2 := s.row + 1
	for i, text := range CriteriaHeaders() {
		if i == 3 {
			s.merge(4, 5, h2, h2, text, st.header)
			continue
		}
		s.set(i+1, h2, text, st.header)
	}
	r = h2
	for _, cr := range rp.Criteria {
		r++
		s.set(1, r, cr.Number, st.center)
		s.set(2, r, cr.Name, st.text)
		s.set(3, r, CriterionStatusText(cr.Status), b.statusStyle(cr.Status))
		s.merge(4, 5, r, r, cr.Reason, st.text)
		s.fit(r, cr.Reason, 16+28)
		s.fit(r, cr.Name, 50)
	}
	if len(rp.Criteria) == 0 {
		r++
		s.merge(1, s.cols, r, r, "Chưa có kết quả đánh giá (báo cáo chưa được lưu).", st.center)
	}
	s.row = max(s.row, r)
	if len(rp.Criteria) > 0 {
		s.line("Số tiêu chí đạt: "+strconv.Itoa(rp.MetCount)+"/7", st.noteBold)
	}
	s.signatures(rp.Heading, 2, 3)
	s.print("portrait", rp.Heading, 0, 0)
	return b.bytes()
}

// fit makes a row tall enough for text wrapped in a column of width
// characters (Excel does not grow merged or wrapped rows by itself).
func (s *sheet) fit(row int, text string, width float64) {
	n := utf8.RuneCountInString(text)
	if n == 0 || width <= 0 {
		return
	}
	lines := int(float64(n)*1.15/width) + 1
	if lines < 2 {
		return
	}
	h := float64(lines) * 15.5
	if h > s.tall[row] {
		s.tall[row] = h
		s.height(row, h)
	}
}
