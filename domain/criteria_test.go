package domain_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"chuyenhoa/domain"
)

const maxI = int64(math.MaxInt64)

// complete returns a report meeting all seven criteria, with every denominator non-zero.
func complete() domain.ReportValues {
	return values(
		"tips_received", 40, "tips_processed", 40,
		"political_system", domain.Assessment{Met: true, Note: "Vững mạnh"},
		"models_active", 3, "models_effective", 2, "community_rules", true,
		"households", 1200, "households_reached", 1200,
		"organised_crime", false, "cases_initiated", 10, "cases_solved", 9, "serious_initiated", 2, "serious_solved", 2,
		"released_residing", 20, "reoffending", 1,
		"incidents_baseline", 50, "incidents_current", 40,
	)
}

// with returns complete() changed by the given pairs (nil deletes).
func with(kv ...any) domain.ReportValues {
	v := complete()
	for code, val := range values(kv...) {
		if val.IsNull() {
			delete(v, code)
		} else {
			v[code] = val
		}
	}
	return v
}

func TestEvaluate_Criteria(t *testing.T) {
	for _, tt := range []struct {
		name    string
		n       int // criterion number
		v       domain.ReportValues
		status  string
		percent string // of the first rate, when given
		reason  string // a fragment of Reason, when given
	}{
		// 1: processed / received = 100%.
		{"C1/100of100", 1, with("tips_received", 100, "tips_processed", 100), "met", "100,00%", "Tỷ lệ xử lý tin báo, tố giác tội phạm 100/100 = 100,00% = 100%"},
		{"C1/99of100", 1, with("tips_received", 100, "tips_processed", 99), "not_met", "99,00%", "99/100 = 99,00% ≠ 100%"},
		{"C1/19999of20000", 1, with("tips_received", 20000, "tips_processed", 19999), "not_met", "99,99%", "19.999/20.000 ≈ 99,99% ≠ 100%"},
		{"C1/NoTips", 1, with("tips_received", 0, "tips_processed", 0), "not_applicable", "", "không áp dụng vì số tin báo, tố giác tội phạm đã tiếp nhận bằng 0"},
		{"C1/NoTipsProcessedAbsent", 1, with("tips_received", 0, "tips_processed", nil), "not_applicable", "", ""},
		{"C1/ReceivedMissing", 1, with("tips_received", nil), "missing", "", "Thiếu số liệu “Số tin báo, tố giác tội phạm đã tiếp nhận”"},
		{"C1/ProcessedMissing", 1, with("tips_processed", nil), "missing", "", "Thiếu số liệu “Số tin báo, tố giác tội phạm đã xử lý”"},
		{"C1/BothMissing", 1, with("tips_received", nil, "tips_processed", nil), "missing", "", "đã tiếp nhận”, “Số tin báo"},
		{"C1/WrongKind", 1, with("tips_received", true), "missing", "", "Số liệu không hợp lệ “Số tin báo, tố giác tội phạm đã tiếp nhận”"},
		{"C1/NegativeIsUnusable", 1, with("tips_received", -1), "missing", "", "không hợp lệ"},
		{"C1/MaxInt64", 1, with("tips_received", maxI, "tips_processed", maxI), "met", "100,00%", ""},
		{"C1/MaxInt64MinusOne", 1, with("tips_received", maxI, "tips_processed", maxI-1), "not_met", "99,99%", "≈ 99,99% ≠ 100%"},

		// 2: reviewer's assessment.
		{"C2/Met", 2, with(), "met", "", "Được đánh giá đạt: Vững mạnh"},
		{"C2/NotMet", 2, with("political_system", domain.Assessment{Met: false, Note: "Chưa kiện toàn"}), "not_met", "", "chưa đạt: Chưa kiện toàn"},
		{"C2/Missing", 2, with("political_system", nil), "missing", "", "Thiếu số liệu"},
		{"C2/WrongKind", 2, with("political_system", true), "missing", "", "không hợp lệ"},

		// 3: at least one effective model AND community rules kept.
		{"C3/OneModelRules", 3, with("models_effective", 1), "met", "", "hiệu quả 1 ≥ 1"},
		{"C3/NoModel", 3, with("models_effective", 0), "not_met", "", "hiệu quả 0 < 1"},
		{"C3/NoRules", 3, with("community_rules", false), "not_met", "", "Chưa xây dựng"},
		{"C3/ModelsMissing", 3, with("models_effective", nil), "missing", "", "Thiếu số liệu"},
		{"C3/RulesMissing", 3, with("community_rules", nil), "missing", "", "Thiếu số liệu"},
		{"C3/MissingButFailing", 3, with("models_effective", nil, "community_rules", false), "not_met", "", "Thiếu số liệu"},
		{"C3/BothMissing", 3, with("models_effective", nil, "community_rules", nil), "missing", "", ""},

		// 4: reached / households = 100%.
		{"C4/AllReached", 4, with("households", 1200, "households_reached", 1200), "met", "100,00%", "1.200/1.200 = 100,00% = 100%"},
		{"C4/OneShort", 4, with("households", 1200, "households_reached", 1199), "not_met", "99,91%", "1.199/1.200 ≈ 99,91% ≠ 100%"},
		{"C4/NoHouseholds", 4, with("households", 0, "households_reached", 0), "not_applicable", "", "bằng 0"},
		{"C4/Missing", 4, with("households", nil), "missing", "", ""},

		// 5: no organised crime AND solved ≥ 80% AND serious solved ≥ 95%.
		{"C5/Boundary", 5, with("cases_initiated", 100, "cases_solved", 80, "serious_initiated", 100, "serious_solved", 95), "met", "80,00%", "Tỷ lệ điều tra, khám phá 80/100 = 80,00% ≥ 80%"},
		{"C5/SolvedOneBelow", 5, with("cases_initiated", 100, "cases_solved", 79, "serious_initiated", 100, "serious_solved", 95), "not_met", "79,00%", "Tỷ lệ điều tra, khám phá 79/100 = 79,00% < 80%"},
		{"C5/SolvedOneAbove", 5, with("cases_initiated", 100, "cases_solved", 81, "serious_initiated", 100, "serious_solved", 95), "met", "81,00%", ""},
		{"C5/SeriousOneBelow", 5, with("cases_initiated", 100, "cases_solved", 100, "serious_initiated", 100, "serious_solved", 94), "not_met", "100,00%", "94/100 = 94,00% < 95%"},
		{"C5/SeriousOneAbove", 5, with("cases_initiated", 100, "cases_solved", 100, "serious_initiated", 100, "serious_solved", 96), "met", "", ""},
		{"C5/SeriousSmall", 5, with("cases_initiated", 20, "cases_solved", 19, "serious_initiated", 20, "serious_solved", 19), "met", "95,00%", ""},
		{"C5/FourFifths", 5, with("cases_initiated", 5, "cases_solved", 4, "serious_initiated", 1, "serious_solved", 1), "met", "80,00%", ""},
		{"C5/TwoThirds", 5, with("cases_initiated", 3, "cases_solved", 2, "serious_initiated", 0, "serious_solved", 0), "not_met", "66,66%", "2/3 ≈ 66,66% < 80%"},
		{"C5/OrganisedWithPerfectRates", 5, with("organised_crime", true, "cases_initiated", 10, "cases_solved", 10, "serious_initiated", 3, "serious_solved", 3), "not_met", "", "Có dấu hiệu hoạt động của tội phạm có tổ chức"},
		{"C5/OrganisedNoCases", 5, with("organised_crime", true, "cases_initiated", 0, "cases_solved", 0, "serious_initiated", 0, "serious_solved", 0), "not_met", "", ""},
		{"C5/OrganisedRatesMissing", 5, with("organised_crime", true, "cases_initiated", nil, "cases_solved", nil, "serious_initiated", nil, "serious_solved", nil), "not_met", "", "Thiếu số liệu"},
		{"C5/OrganisedMissing", 5, with("organised_crime", nil), "missing", "", "Thiếu số liệu “Có dấu hiệu"},
		{"C5/NoCasesAtAll", 5, with("cases_initiated", 0, "cases_solved", 0, "serious_initiated", 0, "serious_solved", 0), "not_applicable", "", "Không có dấu hiệu"},
		{"C5/NoCasesSolvedAbsent", 5, with("cases_initiated", 0, "cases_solved", nil, "serious_initiated", 0, "serious_solved", nil), "not_applicable", "", ""},
		{"C5/NoSeriousCases", 5, with("cases_initiated", 10, "cases_solved", 8, "serious_initiated", 0, "serious_solved", 0), "met", "80,00%", "không áp dụng vì số vụ án rất nghiêm trọng"},
		{"C5/NoSeriousButSolvedLow", 5, with("cases_initiated", 10, "cases_solved", 7, "serious_initiated", 0, "serious_solved", 0), "not_met", "70,00%", ""},
		{"C5/InitiatedMissing", 5, with("cases_initiated", nil), "missing", "", ""},
		{"C5/SolvedMissing", 5, with("cases_solved", nil), "missing", "", ""},
		{"C5/SeriousInitiatedMissing", 5, with("serious_initiated", nil), "missing", "", ""},
		{"C5/SeriousSolvedMissing", 5, with("serious_solved", nil), "missing", "", ""},
		{"C5/NoCasesSeriousMissing", 5, with("cases_initiated", 0, "cases_solved", 0, "serious_initiated", nil), "missing", "", ""},
		{"C5/FailingWithMissing", 5, with("cases_initiated", 10, "cases_solved", 1, "serious_initiated", nil), "not_met", "", "Thiếu số liệu"},
		{"C5/NearOverflow", 5, with("cases_initiated", maxI, "cases_solved", maxI/5*4+2, "serious_initiated", maxI, "serious_solved", maxI-1), "met", "80,01%", ""},
		{"C5/NearOverflowBelow", 5, with("cases_initiated", maxI, "cases_solved", maxI/5*4+1, "serious_initiated", maxI, "serious_solved", maxI-1), "not_met", "79,99%", ""}, // 0,8·max = …645,6

		// 6: re-offending / released < 15% (strictly).
		{"C6/14of100", 6, with("released_residing", 100, "reoffending", 14), "met", "14,00%", "Tỷ lệ tái phạm tội 14/100 = 14,00% < 15%"},
		{"C6/15of100", 6, with("released_residing", 100, "reoffending", 15), "not_met", "15,00%", "15/100 = 15,00% ≥ 15%"},
		{"C6/16of100", 6, with("released_residing", 100, "reoffending", 16), "not_met", "16,00%", ""},
		{"C6/3of20", 6, with("released_residing", 20, "reoffending", 3), "not_met", "15,00%", ""},
		{"C6/2of20", 6, with("released_residing", 20, "reoffending", 2), "met", "10,00%", ""},
		{"C6/JustOver", 6, with("released_residing", 10000001, "reoffending", 1500001), "not_met", "15,01%", "≈ 15,01% ≥ 15%"},
		{"C6/JustUnder", 6, with("released_residing", 10000001, "reoffending", 1500000), "met", "14,99%", "≈ 14,99% < 15%"},
		{"C6/NoneReleased", 6, with("released_residing", 0, "reoffending", 0), "not_applicable", "", "bằng 0"},
		{"C6/ReleasedMissing", 6, with("released_residing", nil), "missing", "", ""},
		{"C6/ReoffendingMissing", 6, with("reoffending", nil), "missing", "", ""},
		{"C6/NearOverflow", 6, with("released_residing", maxI, "reoffending", maxI/100*15), "met", "14,99%", ""},

		// 7: (baseline − current) / baseline ≥ 10%.
		{"C7/FloatTrap", 7, with("incidents_baseline", 30, "incidents_current", 27), "met", "10,00%", "Tỷ lệ giảm phạm pháp hình sự, tệ nạn xã hội (30 − 27)/30 = 10,00% ≥ 10%"},
		{"C7/28of30", 7, with("incidents_baseline", 30, "incidents_current", 28), "not_met", "6,66%", "(30 − 28)/30 ≈ 6,66% < 10%"},
		{"C7/26of30", 7, with("incidents_baseline", 30, "incidents_current", 26), "met", "13,34%", ""},
		{"C7/10to9", 7, with("incidents_baseline", 10, "incidents_current", 9), "met", "10,00%", ""},
		{"C7/Unchanged", 7, with("incidents_baseline", 10, "incidents_current", 10), "not_met", "0,00%", ""},
		{"C7/Rise", 7, with("incidents_baseline", 30, "incidents_current", 33), "not_met", "-10,00%", "(30 − 33)/30 = -10,00% < 10%"},
		{"C7/ToZero", 7, with("incidents_baseline", 30, "incidents_current", 0), "met", "100,00%", ""},
		{"C7/NoBaseline", 7, with("incidents_baseline", 0, "incidents_current", 5), "not_applicable", "", "trước khi chuyển hóa bằng 0"},
		{"C7/BaselineMissing", 7, with("incidents_baseline", nil), "missing", "", ""},
		{"C7/CurrentMissing", 7, with("incidents_current", nil), "missing", "", ""},
		{"C7/HugeBaseline", 7, with("incidents_baseline", maxI, "incidents_current", 0), "met", "100,00%", ""},
		{"C7/HugeRise", 7, with("incidents_baseline", 1, "incidents_current", maxI), "not_met", "-922.337.203.685.477.580.600,00%", ""},
		{"C7/HugeBoth", 7, with("incidents_baseline", maxI, "incidents_current", maxI-maxI/10-1), "met", "10,01%", ""},
		{"C7/HugeBothBelow", 7, with("incidents_baseline", maxI, "incidents_current", maxI-maxI/10), "not_met", "9,99%", ""}, // 0,1·max = …580,7
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := domain.Evaluate(tt.v, domain.DefaultThresholds())
			c := e.Criteria[tt.n-1]
			if got, want := c.Number, tt.n; got != want {
				t.Fatalf("Number = %d, want %d", got, want)
			}
			if got, want := c.Status, tt.status; got != want {
				t.Errorf("Status = %q, want %q (reason %q)", got, want, c.Reason)
			}
			if tt.percent != "" {
				if len(c.Rates) == 0 {
					t.Fatalf("no rates")
				}
				if got, want := c.Rates[0].Percent, tt.percent; got != want {
					t.Errorf("Rates[0].Percent = %q, want %q", got, want)
				}
			}
			if !strings.Contains(c.Reason, tt.reason) {
				t.Errorf("Reason = %q, want it to contain %q", c.Reason, tt.reason)
			}
			if c.Reason == "" {
				t.Error("Reason is empty")
			}
			if got, want := c.CountsAsMet, c.Status == "met" || c.Status == "not_applicable"; got != want {
				t.Errorf("CountsAsMet = %v, want %v", got, want)
			}
		})
	}
}

func TestEvaluate_Summary(t *testing.T) {
	na := values(
		"tips_received", 0, "political_system", domain.Assessment{Met: true},
		"models_effective", 1, "community_rules", true,
		"households", 0, "organised_crime", false, "cases_initiated", 0, "serious_initiated", 0,
		"released_residing", 0, "incidents_baseline", 0, "incidents_current", 0,
	)
	strict := domain.DefaultThresholds()
	strict.NotApplicableCountsAsMet = false
	for _, tt := range []struct {
		name     string
		v        domain.ReportValues
		t        domain.Thresholds
		metCount int
		allMet   bool
		statuses string
	}{
		{"Complete", complete(), domain.DefaultThresholds(), 7, true, "met met met met met met met"},
		{"Empty", values(), domain.DefaultThresholds(), 0, false, "missing missing missing missing missing missing missing"},
		{"NotApplicableCounts", na, domain.DefaultThresholds(), 7, true,
			"not_applicable met met not_applicable not_applicable not_applicable not_applicable"},
		{"NotApplicableDoesNotCount", na, strict, 2, false,
			"not_applicable met met not_applicable not_applicable not_applicable not_applicable"},
		{"OneFailing", with("reoffending", 3), domain.DefaultThresholds(), 6, false, "met met met met met not_met met"},
		{"OneMissing", with("incidents_current", nil), domain.DefaultThresholds(), 6, false, "met met met met met met missing"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := domain.Evaluate(tt.v, tt.t)
			var statuses []string
			for i, c := range e.Criteria {
				statuses = append(statuses, c.Status)
				if got, want := c.Number, i+1; got != want {
					t.Errorf("Criteria[%d].Number = %d, want %d", i, got, want)
				}
			}
			if got, want := strings.Join(statuses, " "), tt.statuses; got != want {
				t.Errorf("statuses = %s, want %s", got, want)
			}
			if got, want := e.MetCount, tt.metCount; got != want {
				t.Errorf("MetCount = %d, want %d", got, want)
			}
			if got, want := e.AllMet, tt.allMet; got != want {
				t.Errorf("AllMet = %v, want %v", got, want)
			}
		})
	}
	t.Run("Inputs", func(t *testing.T) {
		e := domain.Evaluate(with("serious_solved", nil), domain.DefaultThresholds())
		in := e.Criteria[4].Inputs
		for _, code := range []string{"organised_crime", "cases_initiated", "cases_solved", "serious_initiated", "serious_solved"} {
			if _, ok := in[code]; !ok {
				t.Errorf("Inputs lacks %q", code)
			}
		}
		if got, want := in["cases_solved"], domain.CountValue(9); got != want {
			t.Errorf("Inputs[cases_solved] = %v, want %v", got, want)
		}
		if !in["serious_solved"].IsNull() {
			t.Errorf("Inputs[serious_solved] = %v, want null", in["serious_solved"])
		}
	})
	t.Run("JSON", func(t *testing.T) {
		b, err := json.Marshal(domain.Evaluate(with("households", 0, "households_reached", 0), domain.DefaultThresholds()))
		if err != nil {
			t.Fatal(err)
		}
		for _, frag := range []string{
			`"met_count":7`, `"all_met":true`,
			`{"code":"households_reached","label":"Tỷ lệ hộ dân được tuyên truyền","num":0,"den":0,"percent":"","threshold":{"op":"=","percent":100},"status":"not_applicable"}`,
			`"inputs":{"households":0,"households_reached":0}`,
		} {
			if !strings.Contains(string(b), frag) {
				t.Errorf("JSON lacks %s:\n%s", frag, b)
			}
		}
	})
}

func TestEvaluate_CustomThresholds(t *testing.T) {
	for _, tt := range []struct {
		name   string
		edit   func(*domain.Thresholds)
		v      domain.ReportValues
		n      int
		status string
	}{
		{"C6AtMostAt15", func(t *domain.Thresholds) { t.Reoffending.Op = "<=" }, with("released_residing", 100, "reoffending", 15), 6, "met"},
		{"C5At97.5", func(t *domain.Thresholds) { t.CasesSolved.Percent = 9750 }, with("cases_initiated", 40, "cases_solved", 39), 5, "met"},
		{"C5At97.5Below", func(t *domain.Thresholds) { t.CasesSolved.Percent = 9750 }, with("cases_initiated", 41, "cases_solved", 39), 5, "not_met"},
		{"C3TwoModels", func(t *domain.Thresholds) { t.MinEffectiveModels = 3 }, with("models_active", 5, "models_effective", 2), 3, "not_met"},
		{"C7Strict", func(t *domain.Thresholds) { t.IncidentReduction.Op = ">" }, with("incidents_baseline", 30, "incidents_current", 27), 7, "not_met"},
		{"C1AtLeast90", func(t *domain.Thresholds) {
			t.TipsProcessed = domain.Threshold{Op: ">=", Percent: domain.WholePercent(90)}
		}, with("tips_received", 10, "tips_processed", 9), 1, "met"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			th := domain.DefaultThresholds()
			tt.edit(&th)
			if err := domain.ValidateThresholds(th); err != nil {
				t.Fatal(err)
			}
			c := domain.Evaluate(tt.v, th).Criteria[tt.n-1]
			if got, want := c.Status, tt.status; got != want {
				t.Errorf("Status = %q, want %q (%s)", got, want, c.Reason)
			}
		})
	}
}

func TestDefaultThresholds(t *testing.T) {
	th := domain.DefaultThresholds()
	if err := domain.ValidateThresholds(th); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(th)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"tips_processed":{"op":"=","percent":100},"min_effective_models":1,` +
		`"households_reached":{"op":"=","percent":100},"cases_solved":{"op":"\u003e=","percent":80},` +
		`"serious_solved":{"op":"\u003e=","percent":95},"reoffending":{"op":"\u003c","percent":15},` +
		`"incident_reduction":{"op":"\u003e=","percent":10},"not_applicable_counts_as_met":true}`
	if got := string(b); got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
	back, err := domain.DecodeThresholds(b)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := back, th; got != want {
		t.Errorf("round trip = %+v, want %+v", got, want)
	}
}

func TestDecodeThresholds(t *testing.T) {
	for _, tt := range []struct {
		name  string
		in    string
		check func(domain.Thresholds) bool
		field string // expected error field; "-" for an error without fields
	}{
		{"EmptyKeepsDefaults", `{}`, func(t domain.Thresholds) bool { return t == domain.DefaultThresholds() }, ""},
		{"Decimal", `{"cases_solved":{"op":">=","percent":97.5}}`, func(t domain.Thresholds) bool { return t.CasesSolved.Percent == 9750 }, ""},
		{"TwoDecimals", `{"cases_solved":{"op":">=","percent":97.25}}`, func(t domain.Thresholds) bool { return t.CasesSolved.Percent == 9725 }, ""},
		{"TrailingZeros", `{"cases_solved":{"op":">=","percent":80.000}}`, func(t domain.Thresholds) bool { return t.CasesSolved.Percent == 8000 }, ""},
		{"NAOff", `{"not_applicable_counts_as_met":false}`, func(t domain.Thresholds) bool { return !t.NotApplicableCountsAsMet }, ""},
		{"ThreeDecimals", `{"cases_solved":{"op":">=","percent":97.125}}`, nil, "-"},
		{"Exponent", `{"cases_solved":{"op":">=","percent":8e1}}`, nil, "-"},
		{"StringPercent", `{"cases_solved":{"op":">=","percent":"80"}}`, nil, "-"},
		{"Unknown", `{"cases":{"op":">=","percent":80}}`, nil, "-"},
		{"Trailing", `{} {}`, nil, "-"},
		{"BadOp", `{"reoffending":{"op":"=<","percent":15}}`, nil, "reoffending.op"},
		{"Over100", `{"reoffending":{"op":"<","percent":101}}`, nil, "reoffending.percent"},
		{"Negative", `{"incident_reduction":{"op":">=","percent":-1}}`, nil, "incident_reduction.percent"},
		{"NegativeModels", `{"min_effective_models":-1}`, nil, "min_effective_models"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			th, err := domain.DecodeThresholds([]byte(tt.in))
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if !tt.check(th) {
					t.Errorf("DecodeThresholds = %+v", th)
				}
				return
			}
			if got, want := domain.ErrorCode(err), domain.EINVALID; got != want {
				t.Fatalf("ErrorCode = %q, want %q (%v)", got, want, err)
			}
			if tt.field != "-" {
				if _, ok := err.(*domain.Error).Fields[tt.field]; !ok {
					t.Errorf("Fields = %v, want %q", err.(*domain.Error).Fields, tt.field)
				}
			}
		})
	}
}

func TestThreshold(t *testing.T) {
	for _, tt := range []struct {
		th       domain.Threshold
		num, den int64
		want     bool
	}{
		{domain.Threshold{Op: "=", Percent: domain.WholePercent(100)}, 5, 5, true},
		{domain.Threshold{Op: "=", Percent: domain.WholePercent(100)}, 4, 5, false},
		{domain.Threshold{Op: ">=", Percent: domain.WholePercent(80)}, 4, 5, true},
		{domain.Threshold{Op: ">", Percent: domain.WholePercent(80)}, 4, 5, false},
		{domain.Threshold{Op: "<", Percent: domain.WholePercent(15)}, 3, 20, false},
		{domain.Threshold{Op: "<=", Percent: domain.WholePercent(15)}, 3, 20, true},
		{domain.Threshold{Op: ">=", Percent: domain.WholePercent(10)}, 3, 30, true},
		{domain.Threshold{Op: ">=", Percent: domain.WholePercent(10)}, 1, 0, false},
		{domain.Threshold{Op: "??", Percent: domain.WholePercent(10)}, 1, 1, false},
		{domain.Threshold{Op: ">=", Percent: domain.WholePercent(95)}, maxI - maxI/20, maxI, true},
	} {
		if got := tt.th.Holds(tt.num, tt.den); got != tt.want {
			t.Errorf("%v Holds(%d, %d) = %v, want %v", tt.th, tt.num, tt.den, got, tt.want)
		}
	}
	for _, tt := range []struct {
		p    domain.Percent
		want string
	}{
		{domain.WholePercent(80), "80%"},
		{9750, "97,5%"},
		{9725, "97,25%"},
		{1, "0,01%"},
		{0, "0%"},
		{-150, "-1,5%"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("Percent(%d).String() = %q, want %q", int64(tt.p), got, tt.want)
		}
	}
	if got, want := (domain.Threshold{Op: ">=", Percent: 9750}).String(), "≥ 97,5%"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

func TestSuccessCriteria(t *testing.T) {
	cat := domain.DefaultIndicators()
	for i, c := range domain.SuccessCriteria() {
		if got, want := c.Number, i+1; got != want {
			t.Errorf("Number = %d, want %d", got, want)
		}
		if !hasNonASCII(c.Name) || c.NameEN == "" || c.Code == "" {
			t.Errorf("criterion %d lacks a Vietnamese name, an English name or a code: %+v", c.Number, c)
		}
		for _, in := range c.Inputs {
			if _, ok := domain.FindIndicator(cat, in); !ok {
				t.Errorf("criterion %d reads %q, which is not in the default catalogue", c.Number, in)
			}
		}
	}
}
