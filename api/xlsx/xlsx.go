// Package xlsx writes the Excel (.xlsx) exports (SPEC §6): the comparison
// table of a campaign and period, and one periodic report, in the layout of
// an official Vietnamese report (issuing committee and national motto, a
// title, a bordered table, the date and the signature blocks), ready to
// print on A4. It is the only package that imports excelize; it reads
// domain types and knows nothing of HTTP or storage.
package xlsx

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"chuyenhoa/domain"
)

// ContentType is the media type of an .xlsx workbook.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Texts of the official layout.
const (
	// NationalName and Motto head every official document (Nghị định 30/2020/NĐ-CP).
	NationalName = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	Motto        = "Độc lập - Tự do - Hạnh phúc"
	// Preparer and Head are the signature blocks under every table.
	Preparer = "Người lập biểu"
	Head     = "Thủ trưởng đơn vị"
)

// Heading names who issues a sheet and when.
type Heading struct {
	// Unit is the unit whose steering committee issues the sheet, with its
	// kind ("Tỉnh Bắc Giang"); it gives "BAN CHỈ ĐẠO TỈNH BẮC GIANG" and the
	// place of the date line ("Bắc Giang, ngày …").
	Unit string
	// Superior, when set, is the unit above, printed over the issuer.
	Superior string
	// Now is the moment of the export; its date in Vietnam is printed.
	Now time.Time
}

// Committee returns the name of the steering committee of a unit in
// capitals: "Tỉnh Bắc Giang" → "BAN CHỈ ĐẠO TỈNH BẮC GIANG".
func Committee(unit string) string {
	unit = strings.TrimSpace(unit)
	if unit == "" {
		return "BAN CHỈ ĐẠO"
	}
	return "BAN CHỈ ĐẠO " + strings.ToUpper(unit)
}

// unitKinds are the kinds a unit's name starts with, longest first.
var unitKinds = []string{"Thành phố ", "Thị trấn ", "Thị xã ", "Tỉnh ", "Huyện ", "Quận ", "Phường ", "Xã ", "TP. "}

// Place returns a unit's name without its kind, as the date line of a
// document names the place: "Tỉnh Bắc Giang" → "Bắc Giang".
func Place(unit string) string {
	unit = strings.TrimSpace(unit)
	for _, k := range unitKinds {
		if len(unit) > len(k) && strings.EqualFold(unit[:len(k)], k) {
			return strings.TrimSpace(unit[len(k):])
		}
	}
	return unit
}

// DateLine returns the place and date line of a document as the official
// style writes it: "Bắc Giang, ngày 05 tháng 01 năm 2026" (a day before the
// 10th and the months January and February take a leading zero).
func DateLine(unit string, t time.Time) string {
	d := domain.DateOf(t)
	day := strconv.Itoa(d.Day)
	if d.Day < 10 {
		day = "0" + day
	}
	month := strconv.Itoa(int(d.Month))
	if d.Month < time.March {
		month = "0" + month
	}
	line := fmt.Sprintf("ngày %s tháng %s năm %d", day, month, d.Year)
	if p := Place(unit); p != "" {
		return p + ", " + line
	}
	return strings.ToUpper(line[:1]) + line[1:]
}

// ExportDate returns the date of t in Vietnam as dd/mm/yyyy.
func ExportDate(t time.Time) string { return domain.DateOf(t).FormatVN() }

// CriterionStatusText returns the Vietnamese text of a criterion status.
func CriterionStatusText(status string) string {
	switch status {
	case domain.CriterionMet:
		return "Đạt"
	case domain.CriterionNotMet:
		return "Chưa đạt"
	case domain.CriterionNotApplicable:
		return "Không áp dụng"
	}
	return "Thiếu số liệu"
}

// ReportStatusText returns the Vietnamese text of a report status
// (domain.CompareReportStatuses).
func ReportStatusText(status string) string {
	switch status {
	case domain.CompareReportDraft:
		return "Đang nhập"
	case domain.CompareReportSubmitted:
		return "Đã gửi, chờ xét duyệt"
	case domain.CompareReportReturned:
		return "Bị trả lại"
	case domain.CompareReportAccepted:
		return "Đã chấp nhận"
	}
	return "Chưa có báo cáo"
}

// TimelinessText returns the Vietnamese text of a report's timeliness.
func TimelinessText(t string) string {
	switch t {
	case domain.TimelinessOnTime:
		return "Đúng hạn"
	case domain.TimelinessLate:
		return "Nộp muộn"
	case domain.TimelinessMissing:
		return "Quá hạn, chưa nộp"
	case domain.TimelinessNotDue:
		return "Chưa đến hạn"
	}
	return ""
}

// TrendText returns the Vietnamese text of a row's trend.
func TrendText(trend string, change *int) string {
	n := 0
	if change != nil {
		n = *change
	}
	switch trend {
	case domain.TrendUp:
		return "▲ tăng " + strconv.Itoa(n)
	case domain.TrendDown:
		return "▼ giảm " + strconv.Itoa(-n)
	case domain.TrendSame:
		return "= không đổi"
	}
	return "—"
}

// PeriodLine describes a period: "Kỳ báo cáo: Quý I (từ 15/12/2023 đến
// 12/03/2024; hạn nộp trước ngày 13/03/2024)".
func PeriodLine(p domain.Period) string {
	name := p.Name
	if name == "" {
		name = p.Code
	}
	var parts []string
	if !p.Start.IsZero() && !p.End.IsZero() {
		parts = append(parts, "từ "+p.Start.FormatVN()+" đến "+p.End.FormatVN())
	}
	if !p.Due.IsZero() {
		parts = append(parts, "hạn nộp trước ngày "+p.Due.FormatVN())
	}
	if len(parts) == 0 {
		return "Kỳ báo cáo: " + name
	}
	return "Kỳ báo cáo: " + name + " (" + strings.Join(parts, "; ") + ")"
}

// font is the typeface of official documents.
const font = "Times New Roman"

// styles are the cell styles of a workbook.
type styles struct {
	superior, issuer, docNumber, national, motto, place int
	title, subtitle, note, noteBold                     int
	header, text, center, number, bold, boldCenter      int
	boldNumber, group                                   int
	signTitle, signNote                                 int
	status                                              map[string]int
}

// book is a workbook being written; the first error stops every later write.
type book struct {
	f   *excelize.File
	st  styles
	err error
}

func newBook(title string) *book {
	b := &book{f: excelize.NewFile()}
	b.f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "chuyenhoa", Language: "vi-VN"})
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	style := func(s excelize.Style) int {
		if b.err != nil {
			return 0
		}
		if s.Font == nil {
			s.Font = &excelize.Font{}
		}
		s.Font.Family = font
		if s.Font.Size == 0 {
			s.Font.Size = 12
		}
		id, err := b.f.NewStyle(&s)
		if err != nil {
			b.err = err
		}
		return id
	}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	left := &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}
	b.st = styles{
		superior:   style(excelize.Style{Font: &excelize.Font{}, Alignment: center}),
		issuer:     style(excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: center}),
		docNumber:  style(excelize.Style{Font: &excelize.Font{}, Alignment: center}),
		national:   style(excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: center}),
		motto:      style(excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}, Alignment: center}),
		place:      style(excelize.Style{Font: &excelize.Font{Italic: true}, Alignment: center}),
		title:      style(excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: center}),
		subtitle:   style(excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: center}),
		note:       style(excelize.Style{Font: &excelize.Font{Italic: true}, Alignment: left}),
		noteBold:   style(excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: left}),
		header:     style(excelize.Style{Font: &excelize.Font{Bold: true, Size: 11}, Alignment: center, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}}),
		text:       style(excelize.Style{Font: &excelize.Font{Size: 11}, Alignment: left, Border: border}),
		center:     style(excelize.Style{Font: &excelize.Font{Size: 11}, Alignment: center, Border: border}),
		number:     style(excelize.Style{Font: &excelize.Font{Size: 11}, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}, Border: border, NumFmt: 3}),
		bold:       style(excelize.Style{Font: &excelize.Font{Bold: true, Size: 11}, Alignment: left, Border: border}),
		boldCenter: style(excelize.Style{Font: &excelize.Font{Bold: true, Size: 11}, Alignment: center, Border: border}),
		boldNumber: style(excelize.Style{Font: &excelize.Font{Bold: true, Size: 11}, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}, Border: border, NumFmt: 3}),
		group:      style(excelize.Style{Font: &excelize.Font{Bold: true, Size: 11}, Alignment: left, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}}),
		signTitle:  style(excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: center}),
		signNote:   style(excelize.Style{Font: &excelize.Font{Italic: true}, Alignment: center}),
		status:     map[string]int{},
	}
	// Criterion statuses are told apart by their text; the fill only helps
	// the eye (and prints as grey).
	for st, fill := range map[string]string{
		domain.CriterionMet: "E2EFDA", domain.CriterionNotMet: "FCE4D6",
		domain.CriterionNotApplicable: "EDEDED", domain.CriterionMissing: "FFF2CC",
	} {
		b.st.status[st] = style(excelize.Style{Font: &excelize.Font{Size: 11}, Alignment: center, Border: border,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}}})
	}
	return b
}

// statusStyle returns the style of a criterion status cell.
func (b *book) statusStyle(status string) int {
	if id, ok := b.st.status[status]; ok {
		return id
	}
	return b.st.status[domain.CriterionMissing]
}

// sheet adds a sheet (renaming the default one for the first).
func (b *book) sheet(name string, widths []float64) *sheet {
	s := &sheet{b: b, name: name, cols: len(widths), tall: map[int]float64{}}
	if b.err != nil {
		return s
	}
	if b.f.SheetCount == 1 && b.f.GetSheetName(0) == "Sheet1" {
		b.err = b.f.SetSheetName("Sheet1", name)
	} else {
		_, b.err = b.f.NewSheet(name)
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.f.SetColWidth(name, col, col, w); err != nil && b.err == nil {
			b.err = err
		}
	}
	return s
}

// bytes returns the workbook, the first sheet active.
func (b *book) bytes() ([]byte, error) {
	if b.err != nil {
		return nil, b.err
	}
	b.f.SetActiveSheet(0)
	buf, err := b.f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	if err := b.f.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sheet writes one worksheet row by row.
type sheet struct {
	b    *book
	name string
	// cols is the width of the sheet in columns (the table's).
	cols int
	// row is the last row written.
	row int
	// tall holds the heights set by fit, so a row only grows.
	tall map[int]float64
}

func ref(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// set writes v with style into one cell.
func (s *sheet) set(col, row int, v any, style int) {
	s.merge(col, col, row, row, v, style)
}

// merge writes v into the top-left cell of a range, styles and merges it.
func (s *sheet) merge(c1, c2, r1, r2 int, v any, style int) {
	b := s.b
	if b.err != nil {
		return
	}
	tl, br := ref(c1, r1), ref(c2, r2)
	if v != nil {
		if err := b.f.SetCellValue(s.name, tl, v); err != nil {
			b.err = err
			return
		}
	}
	if style != 0 {
		if err := b.f.SetCellStyle(s.name, tl, br, style); err != nil {
			b.err = err
			return
		}
	}
	if tl != br {
		b.err = b.f.MergeCell(s.name, tl, br)
	}
	s.row = max(s.row, r2)
}

// line writes a full-width line below the last row.
func (s *sheet) line(v string, style int) int {
	r := s.row + 1
	s.merge(1, s.cols, r, r, v, style)
	return r
}

// skip leaves n empty rows.
func (s *sheet) skip(n int) { s.row += n }

// height sets the height of a row in points.
func (s *sheet) height(row int, h float64) {
	if s.b.err == nil {
		s.b.err = s.b.f.SetRowHeight(s.name, row, h)
	}
}

// heading writes the issuer on the left (columns 1..leftEnd) and the
// national name, motto and date line on the right (rightStart..cols).
func (s *sheet) heading(h Heading, leftEnd, rightStart int) {
	st := s.b.st
	r := s.row + 1
	var left []string
	var kinds []int
	if h.Superior != "" {
		left, kinds = append(left, Committee(h.Superior)), append(kinds, st.superior)
	}
	left, kinds = append(left, Committee(h.Unit), "Số:        /BC-BCĐ"), append(kinds, st.issuer, st.docNumber)
	for i, text := range left {
		s.merge(1, leftEnd, r+i, r+i, text, kinds[i])
	}
	s.merge(rightStart, s.cols, r, r, NationalName, st.national)
	s.merge(rightStart, s.cols, r+1, r+1, Motto, st.motto)
	s.merge(rightStart, s.cols, r+2, r+2, DateLine(h.Unit, h.Now), st.place)
	for i := range max(len(left), 3) {
		s.height(r+i, 20)
	}
	s.row = r + max(len(left), 3) - 1
	s.skip(1)
}

// signatures writes the export date and the two signature blocks.
func (s *sheet) signatures(h Heading, leftEnd, rightStart int) {
	st := s.b.st
	s.skip(1)
	r := s.row + 1
	s.merge(1, s.cols, r, r, "Ngày xuất: "+ExportDate(h.Now), st.note)
	r++
	s.merge(1, leftEnd, r, r, Preparer, st.signTitle)
	s.merge(rightStart, s.cols, r, r, Head, st.signTitle)
	r++
	s.merge(1, leftEnd, r, r, "(Ký, ghi rõ họ tên)", st.signNote)
	s.merge(rightStart, s.cols, r, r, "(Ký tên, đóng dấu)", st.signNote)
	s.skip(4) // room to sign
}

// freeze keeps the rows up to and including row in view.
func (s *sheet) freeze(row int) {
	if s.b.err != nil {
		return
	}
	s.b.err = s.b.f.SetPanes(s.name, &excelize.Panes{Freeze: true, YSplit: row, TopLeftCell: ref(1, row+1), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: ref(1, row+1), ActiveCell: ref(1, row+1), Pane: "bottomLeft"}}})
}

// print sets up A4 printing in orientation, one page wide, repeating the
// header rows r1..r2 on every page, with the export date and page numbers
// in the page footer.
func (s *sheet) print(orientation string, h Heading, r1, r2 int) {
	b := s.b
	if b.err != nil {
		return
	}
	a4, one, auto := 9, 1, 0
	fit := true
	margin, edge := 0.5, 0.3
	steps := []func() error{
		func() error {
			return b.f.SetPageLayout(s.name, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orientation, FitToWidth: &one, FitToHeight: &auto})
		},
		func() error { return b.f.SetSheetProps(s.name, &excelize.SheetPropsOptions{FitToPage: &fit}) },
		func() error {
			return b.f.SetPageMargins(s.name, &excelize.PageLayoutMarginsOptions{Left: &margin, Right: &margin, Top: &margin, Bottom: &margin, Header: &edge, Footer: &edge, Horizontally: &fit})
		},
		func() error {
			return b.f.SetHeaderFooter(s.name, &excelize.HeaderFooterOptions{
				OddFooter: `&L&"` + font + `,Italic"&9Ngày xuất: ` + ExportDate(h.Now) + `&R&"` + font + `,Regular"&9Trang &P/&N`})
		},
		func() error {
			if r1 == 0 {
				return nil
			}
			return b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: s.name,
				RefersTo: fmt.Sprintf("'%s'!$%d:$%d", strings.ReplaceAll(s.name, "'", "''"), r1, r2)})
		},
	}
	for _, f := range steps {
		if err := f(); err != nil {
			b.err = err
			return
		}
	}
}

// TargetStatusText returns the Vietnamese text of a target area's status.
func TargetStatusText(status string) string {
	switch status {
	case domain.TargetProposed:
		return "Đã đề xuất"
	case domain.TargetApproved:
		return "Đã phê duyệt"
	case domain.TargetRejected:
		return "Không phê duyệt"
	case domain.TargetInProgress:
		return "Đang chuyển hóa"
	case domain.TargetExitProposed:
		return "Đề xuất đưa ra khỏi diện trọng điểm"
	case domain.TargetExited:
		return "Đã chuyển hóa thành công"
	case domain.TargetNotExited:
		return "Chưa chuyển hóa thành công"
	case domain.TargetCarriedOver:
		return "Chuyển sang năm sau"
	case domain.TargetRelapseWatch:
		return "Theo dõi tái phức tạp"
	}
	return status
}
