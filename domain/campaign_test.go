package domain_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"chuyenhoa/domain"
)

// campaign2024 is the seed's campaign: Quyết định 301/QĐ-BCĐ of 07/02/2024.
func campaign2024() domain.Campaign {
	c := domain.NewCampaign(1, 2024)
	c.Decision = domain.Document{
		Number: "301/QĐ-BCĐ", Date: domain.Date{Year: 2024, Month: time.February, Day: 7},
		Issuer: "Ban Chỉ đạo tỉnh Bắc Giang",
	}
	c.References = []domain.Document{{
		Number: "584/CAT-TM", Date: domain.Date{Year: 2024, Month: time.February, Day: 23},
		Issuer: "Công an tỉnh Bắc Giang",
	}}
	return c
}

func TestNewCampaignDefaults(t *testing.T) {
	c := domain.NewCampaign(1, 2024)
	if got, want := c.WardPlanDue, (domain.Date{Year: 2024, Month: time.March, Day: 12}); got != want {
		t.Errorf("WardPlanDue = %v, want %v", got, want)
	}
	if got, want := c.Calendar, domain.DefaultCalendar(2024); !reflect.DeepEqual(got, want) {
		t.Errorf("Calendar = %v", got)
	}
	if c.Thresholds != domain.DefaultThresholds() || c.ExitPeriod != domain.PeriodYear {
		t.Errorf("defaults: %+v", c)
	}
	if got := len(c.MonthlyCalendar()); got != 12 {
		t.Errorf("MonthlyCalendar has %d periods", got)
	}
	if got, want := c.MonthlyCalendar()[0].Due, (domain.Date{Year: 2024, Month: time.February, Day: domain.DefaultMonthlyReportDueDay}); got != want {
		t.Errorf("January report due %v, want %v", got, want)
	}
	if !strings.Contains(c.Title, "năm 2024") {
		t.Errorf("Title = %q", c.Title)
	}
	// Without a decision the defaults alone are refused, naming the decision.
	f := fieldsOf(t, domain.ValidateCampaign(c))
	for _, want := range []string{"decision.number", "decision.date", "decision.signer"} {
		if f[want] == "" {
			t.Errorf("no message for %q in %v", want, f)
		}
	}
	if len(f) != 3 {
		t.Errorf("fields = %v", f)
	}
}

func TestValidateCampaign(t *testing.T) {
	if err := domain.ValidateCampaign(campaign2024()); err != nil {
		t.Fatalf("seed campaign refused: %v", err)
	}
	for _, tt := range []struct {
		name   string
		edit   func(c *domain.Campaign)
		fields []string
	}{
		{"no province", func(c *domain.Campaign) { c.ProvinceUnitID = 0 }, []string{"province_unit_id"}},
		{"empty title", func(c *domain.Campaign) { c.Title = "" }, []string{"title"}},
		{"year too early", func(c *domain.Campaign) { c.Year = 1999 }, []string{"year"}},
		{"year too late", func(c *domain.Campaign) { c.Year = 2101 }, []string{"year"}},
		{"decision without number", func(c *domain.Campaign) { c.Decision.Number = " " }, []string{"decision.number"}},
		{"decision without date", func(c *domain.Campaign) { c.Decision.Date = domain.Date{} }, []string{"decision.date"}},
		{"decision from the year before is fine", func(c *domain.Campaign) { c.Decision.Date = domain.Date{Year: 2023, Month: 12, Day: 20} }, nil},
		{"decision two years before", func(c *domain.Campaign) { c.Decision.Date = domain.Date{Year: 2022, Month: 12, Day: 20} }, []string{"decision.date"}},
		{"decision the year after", func(c *domain.Campaign) { c.Decision.Date = domain.Date{Year: 2025, Month: 1, Day: 2} }, []string{"decision.date"}},
		{"decision with neither signer nor issuer", func(c *domain.Campaign) { c.Decision.Issuer = "" }, []string{"decision.signer"}},
		{"decision with a signer only", func(c *domain.Campaign) { c.Decision.Issuer, c.Decision.Signer = "", "Trưởng ban" }, nil},
		{"reference without issuer", func(c *domain.Campaign) { c.References[0].Issuer = "" }, []string{"references[0].issuer"}},
		{"reference without number", func(c *domain.Campaign) { c.References[0].Number = "" }, []string{"references[0].number"}},
		{"old undated reference is fine", func(c *domain.Campaign) {
			c.References = append(c.References, domain.Document{Number: "46-CT/TW", Issuer: "Bộ Chính trị"})
		}, nil},
		{"calendar field renamed", func(c *domain.Campaign) { c.Calendar[1].Name = "" }, []string{"calendar[1].name"}},
		{"empty calendar", func(c *domain.Campaign) { c.Calendar = nil; c.ExitPeriod = "" }, []string{"calendar", "exit_period"}},
		{"threshold field prefixed", func(c *domain.Campaign) { c.Thresholds.CasesSolved.Percent = domain.WholePercent(101) }, []string{"thresholds.cases_solved.percent"}},
		{"ward plan due in another year", func(c *domain.Campaign) { c.WardPlanDue = domain.Date{Year: 2023, Month: 3, Day: 12} }, []string{"ward_plan_due"}},
		{"no ward plan due", func(c *domain.Campaign) { c.WardPlanDue = domain.Date{} }, []string{"ward_plan_due"}},
		{"monthly due day", func(c *domain.Campaign) { c.MonthlyReportDueDay = 0 }, []string{"monthly_report_due_day"}},
		{"exit period unknown", func(c *domain.Campaign) { c.ExitPeriod = "Q4" }, []string{"exit_period"}},
		{"relapse indicator unknown", func(c *domain.Campaign) { c.RelapseIndicators = []string{domain.IndPatrols, "nope"} }, []string{"relapse_indicators[1]"}},
		{"relapse indicator twice", func(c *domain.Campaign) { c.RelapseIndicators = []string{domain.IndPatrols, domain.IndPatrols} }, []string{"relapse_indicators[1]"}},
		{"relapse indicator of a custom catalogue", func(c *domain.Campaign) {
			c.Indicators = append(domain.DefaultIndicators(), domain.Indicator{Code: "karaoke", Label: "Karaoke", Type: domain.IndicatorCount, EnteredBy: []string{domain.EnteredByPolice}})
			c.RelapseIndicators = []string{"karaoke"}
		}, nil},
		{"bad custom catalogue", func(c *domain.Campaign) {
			c.Indicators = []domain.Indicator{{Code: "x", Type: domain.IndicatorCount, EnteredBy: []string{domain.EnteredByPolice}}}
			c.RelapseIndicators = nil
		}, []string{"indicators[0].label"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := campaign2024()
			tt.edit(&c)
			err := domain.ValidateCampaign(c)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			got := fieldsOf(t, err)
			if len(got) != len(tt.fields) {
				t.Errorf("fields = %v, want exactly %v", got, tt.fields)
			}
			for _, f := range tt.fields {
				if got[f] == "" {
					t.Errorf("no message for %q in %v", f, got)
				}
			}
		})
	}
}

func TestCampaignJSON(t *testing.T) {
	c := campaign2024()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"ward_plan_due":"2024-03-12"`, `"number":"301/QĐ-BCĐ"`, `"date":"2024-02-07"`, `"exit_period":"NAM"`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("JSON lacks %s: %s", s, b)
		}
	}
	var back domain.Campaign
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, c) {
		t.Errorf("round trip changed the campaign:\n%+v\n%+v", back, c)
	}
}

func TestDocumentString(t *testing.T) {
	d := domain.Document{Number: "584/CAT-TM", Date: domain.Date{Year: 2024, Month: 2, Day: 23}, Issuer: "Công an tỉnh Bắc Giang"}
	if got, want := d.String(), "584/CAT-TM ngày 23/02/2024 của Công an tỉnh Bắc Giang"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if !(domain.Document{}).IsZero() || d.IsZero() {
		t.Error("IsZero")
	}
}

func TestValidateTargetAction(t *testing.T) {
	decision := &domain.Document{Number: "301/QĐ-BCĐ", Date: domain.Date{Year: 2024, Month: 2, Day: 7}}
	for _, tt := range []struct {
		action string
		in     domain.TargetActionInput
		fields []string
	}{
		{domain.TargetActPropose, domain.TargetActionInput{Comment: "Phức tạp về ma túy"}, nil},
		{domain.TargetActPropose, domain.TargetActionInput{}, []string{"comment"}},
		{domain.TargetActApprove, domain.TargetActionInput{Decision: decision}, nil},
		{domain.TargetActApprove, domain.TargetActionInput{}, []string{"decision.number", "decision.date"}},
		{domain.TargetActApprove, domain.TargetActionInput{Decision: &domain.Document{Number: "301/QĐ-BCĐ"}}, []string{"decision.date"}},
		{domain.TargetActReject, domain.TargetActionInput{}, []string{"comment"}},
		{domain.TargetActStart, domain.TargetActionInput{}, nil},
		{domain.TargetActProposeExit, domain.TargetActionInput{}, []string{"comment"}},
		{domain.TargetActDecideExit, domain.TargetActionInput{Decision: decision}, nil},
		{domain.TargetActDecideExit, domain.TargetActionInput{Comment: "Đạt"}, []string{"decision.number", "decision.date"}},
		{domain.TargetActDecideNotExited, domain.TargetActionInput{}, []string{"comment"}},
		{domain.TargetActCarryOver, domain.TargetActionInput{}, nil},
		{"explode", domain.TargetActionInput{}, []string{"action"}},
	} {
		err := domain.ValidateTargetAction(tt.action, tt.in)
		if tt.fields == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.action, err)
			}
			continue
		}
		got := fieldsOf(t, err)
		if len(got) != len(tt.fields) {
			t.Errorf("%s: fields = %v, want %v", tt.action, got, tt.fields)
		}
		for _, f := range tt.fields {
			if got[f] == "" {
				t.Errorf("%s: no message for %q", tt.action, f)
			}
		}
	}
}

func TestValidateTargetArea(t *testing.T) {
	ta := domain.TargetArea{UnitID: 5, Deadline: domain.EndOfMonth(2024, time.December)}
	if got, want := ta.Deadline, (domain.Date{Year: 2024, Month: 12, Day: 31}); got != want {
		t.Errorf("EndOfMonth = %v", got)
	}
	if err := domain.ValidateTargetArea(ta, 2024); err != nil {
		t.Fatal(err)
	}
	ta.Deadline = domain.Date{Year: 2025, Month: 1, Day: 31}
	ta.UnitID = 0
	f := fieldsOf(t, domain.ValidateTargetArea(ta, 2024))
	if f["deadline"] == "" || f["unit_id"] == "" {
		t.Errorf("fields = %v", f)
	}
}

func TestExitReadiness(t *testing.T) {
	var ev domain.Evaluation
	for i, c := range domain.SuccessCriteria() {
		ev.Criteria[i] = domain.CriterionResult{Number: c.Number, Name: c.Name, CountsAsMet: true}
	}
	ev.AllMet = true
	if err := domain.ExitReadiness(ev); err != nil {
		t.Fatal(err)
	}
	ev.Criteria[4].CountsAsMet, ev.Criteria[6].CountsAsMet, ev.AllMet = false, false, false
	err := domain.ExitReadiness(ev)
	if got := domain.ErrorCode(err); got != domain.ECONFLICT {
		t.Fatalf("code %q", got)
	}
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, "tiêu chí 5 (") || !strings.Contains(msg, "; 7 (giảm tội phạm") {
		t.Errorf("message %q", msg)
	}
}
