package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Bounds of a campaign year.
const (
	MinCampaignYear = 2000
	MaxCampaignYear = 2100
)

// DefaultMonthlyReportDueDay is the day of the following month by which the
// assigned committee member's monthly report is due (the first late day). The
// seed asks for a monthly report without a day; the campaign sets it.
const DefaultMonthlyReportDueDay = 5

// Campaign is one province's programme of transforming key, complex areas
// for one year, created from its approval decision. Its calendar,
// thresholds and indicators are data, because the province may change them.
type Campaign struct {
	ID int64 `json:"id"`
	// ProvinceUnitID is the province unit that owns the campaign (the tenant).
	ProvinceUnitID int64  `json:"province_unit_id"`
	Year           int    `json:"year"`
	Title          string `json:"title"`
	// Decision is the approval decision, e.g. Quyết định 301/QĐ-BCĐ ngày 07/02/2024.
	Decision Document `json:"decision"`
	// References are the documents the campaign implements, e.g. Công văn 584/CAT-TM ngày 23/02/2024.
	References []Document `json:"references"`
	// Calendar holds the periodic reports (DefaultCalendar); the monthly
	// reports of the assigned member are derived by MonthlyCalendar.
	Calendar   []Period   `json:"calendar"`
	Thresholds Thresholds `json:"thresholds"`
	// Indicators is the report catalogue; empty means DefaultIndicators().
	Indicators []Indicator `json:"indicators,omitempty"`
	// WardPlanDue is the first day on which a ward plan is late: the seed's
	// "trước ngày 12/3/2024" gives 12/03, and a plan submitted on 12/03 or
	// later is late, as a report submitted on or after its Period.Due is.
	WardPlanDue Date `json:"ward_plan_due"`
	// MonthlyReportDueDay is the day of the next month a monthly report is due (first late day).
	MonthlyReportDueDay int `json:"monthly_report_due_day"`
	// ExitPeriod is the calendar period whose report must meet every criterion for an exit proposal.
	ExitPeriod string `json:"exit_period"`
	// RelapseIndicators are the indicator codes watched in areas already
	// transformed, so that they do not become complex again ("tái phức tạp").
	RelapseIndicators []string  `json:"relapse_indicators"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// DefaultWardPlanDue returns 12/03 of year, the seed's "trước ngày 12/3".
func DefaultWardPlanDue(year int) Date { return Date{year, time.March, 12} }

// DefaultRelapseIndicators returns the indicators that show an area becoming
// complex again: offences and social evils, organised crime, serious crime,
// re-offending and new drug users.
func DefaultRelapseIndicators() []string {
	return []string{IndIncidentsCurrent, IndOrganisedCrime, IndSeriousInitiated, IndReoffending, IndNewDrugUsers}
}

// NewCampaign returns a campaign of the province for year with every default
// of the seed: its title, calendar, thresholds, ward plan due date (12/03),
// exit period (the Year report) and relapse indicators. The decision is left
// for the province to fill in.
func NewCampaign(provinceUnitID int64, year int) Campaign {
	return Campaign{
		ProvinceUnitID:      provinceUnitID,
		Year:                year,
		Title:               fmt.Sprintf("Chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội năm %d", year),
		References:          []Document{},
		Calendar:            DefaultCalendar(year),
		Thresholds:          DefaultThresholds(),
		WardPlanDue:         DefaultWardPlanDue(year),
		MonthlyReportDueDay: DefaultMonthlyReportDueDay,
		ExitPeriod:          PeriodYear,
		RelapseIndicators:   DefaultRelapseIndicators(),
	}
}

// IndicatorCatalogue returns the campaign's indicators, or the defaults when it has none.
func (c Campaign) IndicatorCatalogue() []Indicator {
	if len(c.Indicators) == 0 {
		return DefaultIndicators()
	}
	return c.Indicators
}

// MonthlyCalendar returns the twelve monthly periods of the assigned member's reports.
func (c Campaign) MonthlyCalendar() []Period {
	day := c.MonthlyReportDueDay
	if day == 0 {
		day = DefaultMonthlyReportDueDay
	}
	return MonthlyPeriods(c.Year, day)
}

// WardPlanLate reports whether a ward plan submitted at submittedAt is late.
func (c Campaign) WardPlanLate(submittedAt time.Time) bool {
	return PlanIsLate(submittedAt, c.WardPlanDue)
}

// ValidateCampaign checks a campaign and names every bad field: "title",
// "year", "decision.number", "decision.date" (in the campaign year or the
// year before), "references[1].issuer", "calendar[0].due",
// "thresholds.cases_solved.percent", "ward_plan_due", "exit_period",
// "relapse_indicators[2]"….
func ValidateCampaign(c Campaign) error {
	fe := FieldErrors{}
	if c.ProvinceUnitID <= 0 {
		fe.AddMsg("province_unit_id", MsgNotChosen("tỉnh của chương trình"))
	}
	yearOK := c.Year >= MinCampaignYear && c.Year <= MaxCampaignYear
	if !yearOK {
		fe.Add("year", fmt.Sprintf("Năm phải từ %d đến %d", MinCampaignYear, MaxCampaignYear))
	}
	requireText(fe, "title", c.Title, "Tên chương trình", maxTitleText)

	validateDocument(fe, "decision.", c.Decision, true)
	if c.Decision.Signer == "" && c.Decision.Issuer == "" {
		fe.Add("decision.signer", "Phải ghi người ký hoặc cơ quan ban hành quyết định")
	}
	if d := c.Decision.Date; yearOK && d.Valid() && (d.Year < c.Year-1 || d.Year > c.Year) {
		fe.Add("decision.date", fmt.Sprintf("Ngày quyết định %s phải trong năm %d hoặc năm %d", d.FormatVN(), c.Year-1, c.Year))
	}
	for i, r := range c.References {
		validateDocument(fe, fmt.Sprintf("references[%d].", i), r, false)
		if !hasText(r.Issuer) {
			fe.Add(fmt.Sprintf("references[%d].issuer", i), "Phải ghi cơ quan ban hành văn bản")
		}
	}

	// Without a year there are no default dates to judge: a campaign that
	// names no calendar (or no ward plan due date) is told about its year,
	// not about defaults it never wrote (issue 16, item 21).
	noDefaults := !yearOK && len(c.Calendar) == 0
	if !noDefaults {
		mergeFields(fe, ValidateCalendar(c.Calendar), func(f string) string {
			return "calendar" + strings.TrimPrefix(f, "periods")
		})
	}
	mergeFields(fe, ValidateThresholds(c.Thresholds), func(f string) string { return "thresholds." + f })
	if len(c.Indicators) > 0 {
		mergeFields(fe, ValidateIndicators(c.Indicators), func(f string) string { return f })
	}

	if yearOK || !c.WardPlanDue.IsZero() {
		if checkDate(fe, "ward_plan_due", c.WardPlanDue, "Hạn gửi kế hoạch của cấp xã") && yearOK && c.WardPlanDue.Year != c.Year {
			fe.Add("ward_plan_due", fmt.Sprintf("Hạn gửi kế hoạch %s phải trong năm %d", c.WardPlanDue.FormatVN(), c.Year))
		}
	}
	if c.MonthlyReportDueDay < 1 || c.MonthlyReportDueDay > 31 {
		fe.Add("monthly_report_due_day", "Hạn báo cáo tháng phải là một ngày từ 1 đến 31")
	}
	if c.ExitPeriod == "" {
		fe.Add("exit_period", "Phải chọn kỳ báo cáo dùng để xét đưa ra khỏi diện trọng điểm")
	} else if _, ok := FindPeriod(c.Calendar, c.ExitPeriod); !ok && !noDefaults {
		fe.Add("exit_period", fmt.Sprintf("Kỳ báo cáo “%s” không có trong lịch báo cáo", truncate(c.ExitPeriod, 40)))
	}
	cat := c.IndicatorCatalogue()
	seen := map[string]bool{}
	for i, code := range c.RelapseIndicators {
		f := fmt.Sprintf("relapse_indicators[%d]", i)
		if _, ok := FindIndicator(cat, code); !ok {
			fe.Add(f, fmt.Sprintf("Chỉ tiêu “%s” không có trong danh mục", truncate(code, 64)))
		} else if seen[code] {
			fe.Add(f, fmt.Sprintf("Chỉ tiêu “%s” bị lặp", code))
		}
		seen[code] = true
	}
	return fe.Err()
}

// validateDocument checks a document's fields under prefix ("decision."):
// a number, and a valid date (required when dateRequired), with bounded text.
func validateDocument(fe FieldErrors, prefix string, d Document, dateRequired bool) {
	requireText(fe, prefix+"number", d.Number, "Số văn bản", maxShortText)
	switch {
	case d.Date.IsZero() && dateRequired:
		fe.AddMsg(prefix+"date", MsgRequired("Ngày văn bản"))
	case !d.Date.IsZero() && !d.Date.Valid():
		fe.AddMsg(prefix+"date", MsgBadDate("Ngày văn bản"))
	}
	optionalText(fe, prefix+"issuer", d.Issuer, "Cơ quan ban hành", maxTitleText)
	optionalText(fe, prefix+"signer", d.Signer, "Người ký", maxShortText)
	optionalText(fe, prefix+"title", d.Title, "Trích yếu", maxLongText)
}

// requireText records a message when s is blank, not UTF-8 or longer than max runes.
func requireText(fe FieldErrors, field, s, what string, max int) {
	if !hasText(s) {
		fe.AddMsg(field, MsgRequired(what))
		return
	}
	optionalText(fe, field, s, what, max)
}

// optionalText records a message when s is not UTF-8 or longer than max runes.
func optionalText(fe FieldErrors, field, s, what string, max int) {
	switch {
	case !utf8.ValidString(s):
		fe.AddMsg(field, MsgNotUTF8(what))
	case utf8.RuneCountInString(s) > max:
		fe.AddMsg(field, MsgTooLong(what, max))
	}
}

// mergeFields copies the field messages of an EINVALID err into fe, renaming each field.
func mergeFields(fe FieldErrors, err error, rename func(string) string) {
	e, ok := err.(*Error)
	if !ok || e == nil {
		if err != nil {
			fe.Add(rename(""), ErrorMessage(err))
		}
		return
	}
	if len(e.Fields) == 0 {
		fe.Add(rename(""), e.Message)
	}
	for f, msg := range e.FieldErrors() {
		fe.AddMsg(rename(f), msg)
	}
}
