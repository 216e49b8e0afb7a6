package domain

import (
	"bytes"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the service must know Vietnam's zone even on a host without zoneinfo
	"unicode/utf8"
)

// vietnam is the zone every deadline is judged in; the fixed +07:00 fallback
// is exact because Vietnam has had no daylight saving since 1975.
var vietnam = loadVietnam()

func loadVietnam() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return time.FixedZone("ICT", 7*60*60)
	}
	return loc
}

// VietnamLocation returns the Asia/Ho_Chi_Minh zone in which all dates and deadlines are judged.
func VietnamLocation() *time.Location { return vietnam }

// Date is a civil calendar date with no time of day and no zone, so a
// deadline never shifts with the server's zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date, or an EINVALID error when it does not exist (30 February).
func NewDate(year int, month time.Month, day int) (Date, error) {
	d := Date{Year: year, Month: month, Day: day}
	if !d.Valid() {
		return Date{}, Errorf(EINVALID, "Ngày %02d/%02d/%04d không tồn tại", day, int(month), year)
	}
	return d, nil
}

// DateOf returns the calendar date that instant t falls on in Vietnam.
func DateOf(t time.Time) Date {
	y, m, d := t.In(vietnam).Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses the ISO form YYYY-MM-DD used in JSON, URLs and the database.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, Errorf(EINVALID, "Ngày %q không đúng định dạng YYYY-MM-DD", truncate(s, 40))
	}
	return parseParts(s, s[0:4], s[5:7], s[8:10])
}

// ParseDateVN parses the Vietnamese form dd/mm/yyyy that users type, also accepting d/m/yyyy.
func ParseDateVN(s string) (Date, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 || len(parts[0]) < 1 || len(parts[0]) > 2 || len(parts[1]) < 1 || len(parts[1]) > 2 || len(parts[2]) != 4 {
		return Date{}, Errorf(EINVALID, "Ngày %q không đúng định dạng dd/mm/yyyy", truncate(s, 40))
	}
	return parseParts(s, parts[2], parts[1], parts[0])
}

func parseParts(s, ys, ms, ds string) (Date, error) {
	y, ok1 := digits(ys)
	m, ok2 := digits(ms)
	d, ok3 := digits(ds)
	if !ok1 || !ok2 || !ok3 {
		return Date{}, Errorf(EINVALID, "Ngày %q không hợp lệ", truncate(s, 40))
	}
	return NewDate(y, time.Month(m), d)
}

// digits accepts ASCII digits only, because strconv.Atoi would also take a sign.
func digits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Valid reports whether the date exists in the proleptic Gregorian calendar (years 1–9999).
func (d Date) Valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return d.Day <= daysIn(d.Year, d.Month)
}

// IsZero reports whether d is the zero Date, meaning "no date".
func (d Date) IsZero() bool { return d == Date{} }

// String returns the ISO form YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// FormatVN returns the Vietnamese form dd/mm/yyyy shown to users.
func (d Date) FormatVN() string {
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	default:
		return cmpInt(d.Day, o.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is strictly after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// AddDays returns the date n days later (earlier when n is negative).
func (d Date) AddDays(n int) Date {
	return DateOf(d.Time().AddDate(0, 0, n))
}

// Time returns the instant d begins in Vietnam (00:00 Asia/Ho_Chi_Minh).
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, vietnam)
}

// MarshalText encodes d as YYYY-MM-DD, and the zero Date as empty text.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText decodes YYYY-MM-DD; empty text gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON encodes d as "YYYY-MM-DD", and the zero Date as null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// jsonKind names the kind of a JSON value as encoding/json does.
func jsonKind(b []byte) string {
	if len(b) == 0 {
		return "value"
	}
	switch b[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	case '"':
		return "string"
	}
	return "number"
}

// UnmarshalJSON decodes "YYYY-MM-DD" or null. Anything else is a
// *json.UnmarshalTypeError (Value "string \"…\"" for a string that is not
// such a date): encoding/json adds the field's path to that error type
// only, so the API can name the field.
func (d *Date) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &json.UnmarshalTypeError{Value: jsonKind(b), Type: reflect.TypeFor[Date]()}
	}
	v, err := ParseDate(s)
	if err != nil {
		return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(truncate(s, 40)), Type: reflect.TypeFor[Date]()}
	}
	*d = v
	return nil
}

// Value stores d as the text YYYY-MM-DD, which both SQLite and PostgreSQL DATE columns accept.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date column returned as text or as a time.Time (PostgreSQL returns DATE as UTC midnight).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		// Take the wall date as stored: converting to Vietnam first would
		// move a UTC-midnight DATE onto the right day only by luck.
		y, m, dd := v.Date()
		*d = Date{Year: y, Month: m, Day: dd}
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	}
	return fmt.Errorf("domain: cannot scan %T into Date", src)
}

func (d *Date) scanText(s string) error {
	if len(s) > 10 {
		s = s[:10] // drivers may append a time part to a date
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Period kinds: a cumulative period counts from the start of the campaign
// year, a window covers only its own dates, a monthly period is one month.
const (
	PeriodCumulative = "cumulative"
	PeriodWindow     = "window"
	PeriodMonthly    = "monthly"
)

// Codes of the default reporting periods.
const (
	PeriodQ1   = "Q1"
	PeriodH1   = "6T"
	PeriodQ3   = "Q3"
	PeriodYear = "NAM"
)

// Period is one reporting period of a campaign; it is campaign data because a
// province may change its calendar.
type Period struct {
	Code string `json:"code"`
	// Name is shown to users, in Vietnamese.
	Name string `json:"name"`
	Kind string `json:"kind"`
	// Start and End bound the reported window, both inclusive.
	Start Date `json:"start"`
	End   Date `json:"end"`
	// Due is the first day on which a submission is late ("trước 13/3").
	Due Date `json:"due"`
}

// Contains reports whether d falls within the period's window.
func (p Period) Contains(d Date) bool {
	return !d.Before(p.Start) && !d.After(p.End)
}

// DueAt returns the instant from which a submission is late: 00:00 of Due in Vietnam.
func (p Period) DueAt() time.Time { return p.Due.Time() }

// DefaultCalendar returns the seed plan's four periods for campaign year Y,
// which run from 15/12 of the previous year and are not calendar quarters.
func DefaultCalendar(year int) []Period {
	campaignStart := Date{year - 1, time.December, 15}
	return []Period{
		{
			Code: PeriodQ1, Name: fmt.Sprintf("Quý I năm %d", year), Kind: PeriodCumulative,
			Start: campaignStart, End: Date{year, time.March, 12}, Due: Date{year, time.March, 13},
		},
		{
			Code: PeriodH1, Name: fmt.Sprintf("6 tháng đầu năm %d", year), Kind: PeriodCumulative,
			Start: campaignStart, End: Date{year, time.June, 12}, Due: Date{year, time.June, 13},
		},
		{
			// The seed counts Q3 from 12/6 only, overlapping the last day of the 6-month period.
			Code: PeriodQ3, Name: fmt.Sprintf("Quý III năm %d", year), Kind: PeriodWindow,
			Start: Date{year, time.June, 12}, End: Date{year, time.September, 12}, Due: Date{year, time.September, 13},
		},
		{
			Code: PeriodYear, Name: fmt.Sprintf("Năm %d", year), Kind: PeriodCumulative,
			Start: campaignStart, End: Date{year, time.December, 12}, Due: Date{year, time.December, 13},
		},
	}
}

// MonthlyPeriods returns the twelve calendar months of year, each due on
// dueDay of the following month; dueDay is clamped to that month's length.
func MonthlyPeriods(year int, dueDay int) []Period {
	out := make([]Period, 0, 12)
	for m := time.January; m <= time.December; m++ {
		dy, dm := year, m+1
		if dm > time.December {
			dy, dm = year+1, time.January
		}
		out = append(out, Period{
			Code:  fmt.Sprintf("T%02d", int(m)),
			Name:  fmt.Sprintf("Tháng %d năm %d", int(m), year),
			Kind:  PeriodMonthly,
			Start: Date{year, m, 1},
			End:   Date{year, m, daysIn(year, m)},
			Due:   Date{dy, dm, min(max(dueDay, 1), daysIn(dy, dm))},
		})
	}
	return out
}

// IsLate reports whether a submission at submittedAt is late for p, that is
// on or after p.Due in Vietnam; a period without a due date is never late.
func IsLate(submittedAt time.Time, p Period) bool {
	if p.Due.IsZero() {
		return false
	}
	return !DateOf(submittedAt).Before(p.Due)
}

// Timeliness values of a report for a period.
const (
	TimelinessOnTime = "on_time"
	TimelinessLate   = "late"
	// TimelinessMissing means not submitted and the due date has come.
	TimelinessMissing = "missing"
	// TimelinessNotDue means not submitted yet and still on time.
	TimelinessNotDue = "not_due"
)

// Timeliness classifies a report for p as on time, late, missing or not yet
// due; a zero submittedAt means the report has not been submitted.
func Timeliness(p Period, submittedAt, now time.Time) string {
	switch {
	case !submittedAt.IsZero() && IsLate(submittedAt, p):
		return TimelinessLate
	case !submittedAt.IsZero():
		return TimelinessOnTime
	case IsLate(now, p):
		return TimelinessMissing
	}
	return TimelinessNotDue
}

var periodKinds = map[string]bool{PeriodCumulative: true, PeriodWindow: true, PeriodMonthly: true}

// maxPeriodCode keeps codes short enough for URLs, table headers and file names.
const maxPeriodCode = 16

// ValidateCalendar checks a campaign's periods and names every bad field as
// "periods[i].field" so a form can show the message next to it.
func ValidateCalendar(periods []Period) error {
	fe := FieldErrors{}
	if len(periods) == 0 {
		fe.Add("periods", "Lịch báo cáo phải có ít nhất một kỳ báo cáo")
	}
	seen := map[string]int{}
	for i, p := range periods {
		f := func(name string) string { return fmt.Sprintf("periods[%d].%s", i, name) }
		switch {
		case p.Code == "":
			fe.AddMsg(f("code"), MsgRequired("Mã kỳ báo cáo"))
		case !validPeriodCode(p.Code):
			fe.Add(f("code"), fmt.Sprintf("Mã kỳ báo cáo chỉ gồm chữ cái không dấu, chữ số, '-' hoặc '_', tối đa %d ký tự", maxPeriodCode))
		default:
			if j, dup := seen[p.Code]; dup {
				fe.Add(f("code"), fmt.Sprintf("Mã kỳ báo cáo %q trùng với kỳ thứ %d", p.Code, j+1))
			} else {
				seen[p.Code] = i
			}
		}
		if !hasText(p.Name) {
			fe.AddMsg(f("name"), MsgRequired("Tên kỳ báo cáo"))
		}
		if !periodKinds[p.Kind] {
			fe.Add(f("kind"), "Loại kỳ báo cáo phải là cumulative, window hoặc monthly")
		}
		startOK := checkDate(fe, f("start"), p.Start, "Ngày bắt đầu")
		endOK := checkDate(fe, f("end"), p.End, "Ngày kết thúc")
		dueOK := checkDate(fe, f("due"), p.Due, "Hạn báo cáo")
		if startOK && endOK && p.End.Before(p.Start) {
			fe.AddMsg(f("end"), MsgEndBeforeStart(p.End, p.Start))
		}
		if startOK && dueOK && !p.Due.After(p.Start) {
			fe.Add(f("due"), fmt.Sprintf("Hạn báo cáo %s phải sau ngày bắt đầu %s", p.Due.FormatVN(), p.Start.FormatVN()))
		}
	}
	return fe.Err()
}

func checkDate(fe FieldErrors, field string, d Date, what string) bool {
	switch {
	case d.IsZero():
		fe.AddMsg(field, MsgRequired(what))
	case !d.Valid():
		fe.AddMsg(field, MsgBadDate(what))
	default:
		return true
	}
	return false
}

func validPeriodCode(s string) bool {
	if len(s) > maxPeriodCode {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// FindPeriod returns the period of cal with the code.
func FindPeriod(cal []Period, code string) (Period, bool) {
	for _, p := range cal {
		if p.Code == code {
			return p, true
		}
	}
	return Period{}, false
}

// PreviousPeriod returns the period a trend compares code against: the one
// ending latest strictly before it, among monthly periods for a monthly one
// and among the others otherwise, so months and quarters form separate series.
func PreviousPeriod(cal []Period, code string) (Period, bool) {
	cur, ok := FindPeriod(cal, code)
	if !ok {
		return Period{}, false
	}
	var best Period
	found := false
	for _, p := range cal {
		if p.Code == code || (p.Kind == PeriodMonthly) != (cur.Kind == PeriodMonthly) || !p.End.Before(cur.End) {
			continue
		}
		if !found || p.End.After(best.End) || (p.End == best.End && p.Start.After(best.Start)) {
			best, found = p, true
		}
	}
	return best, found
}

// PeriodContaining returns the period whose window holds d and which falls
// due first, because periods overlap and that is the report d is entered in.
func PeriodContaining(cal []Period, d Date) (Period, bool) {
	var best Period
	found := false
	for _, p := range cal {
		if !p.Contains(d) {
			continue
		}
		if !found || p.Due.Before(best.Due) {
			best, found = p, true
		}
	}
	return best, found
}

// NextDue returns the period that falls due soonest and is not yet late at now, for dashboards and reminders.
func NextDue(cal []Period, now time.Time) (Period, bool) {
	var best Period
	found := false
	for _, p := range cal {
		if p.Due.IsZero() || IsLate(now, p) {
			continue
		}
		if !found || p.Due.Before(best.Due) {
			best, found = p, true
		}
	}
	return best, found
}
