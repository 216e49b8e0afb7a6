package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
)

// Percent is an exact percentage in hundredths of a percent (8000 is 80%),
// so thresholds such as 97,5% need no float.
type Percent int64

// WholePercent returns n percent.
func WholePercent(n int64) Percent { return Percent(n * 100) }

// String returns the Vietnamese form without needless decimals: "80%", "97,5%".
func (p Percent) String() string {
	return p.decimal(',') + "%"
}

func (p Percent) decimal(sep byte) string {
	neg := p < 0
	u := uint64(p)
	if neg {
		u = -u
	}
	s := strconv.FormatUint(u/100, 10)
	if frac := u % 100; frac != 0 {
		f := fmt.Sprintf("%02d", frac)
		s += string(sep) + strings.TrimRight(f, "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// MarshalJSON encodes p as a JSON number of percent, e.g. 80 or 97.5.
func (p Percent) MarshalJSON() ([]byte, error) {
	return []byte(p.decimal('.')), nil
}

// UnmarshalJSON decodes a JSON number of percent exactly, refusing exponents
// and more than two significant decimals rather than rounding them.
func (p *Percent) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	bad := Errorf(EINVALID, "Tỷ lệ phần trăm %s phải là số thập phân có tối đa 2 chữ số sau dấu chấm, ví dụ 80 hoặc 97.5", truncate(s, 40))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	if len(frac) > 2 || len(intPart) == 0 || len(intPart) > 15 {
		return bad
	}
	n, ok := digits(intPart)
	if !ok {
		return bad
	}
	h := int64(n) * 100
	if frac != "" {
		f, ok := digits(frac)
		if !ok {
			return bad
		}
		if len(frac) == 1 {
			f *= 10
		}
		h += int64(f)
	}
	if neg {
		h = -h
	}
	*p = Percent(h)
	return nil
}

// Threshold says when a rate meets a criterion: rate Op Percent, where Op is
// one of "=", ">=", ">", "<", "<=" (ASCII, because it is campaign data).
type Threshold struct {
	Op      string  `json:"op"`
	Percent Percent `json:"percent"`
}

// String returns the threshold as users read it, e.g. "≥ 80%".
func (t Threshold) String() string { return opSymbol(t.Op) + " " + t.Percent.String() }

// Holds reports whether num/den meets the threshold, comparing exactly by
// cross-multiplication; a denominator ≤ 0 never holds.
func (t Threshold) Holds(num, den int64) bool {
	if den <= 0 {
		return false
	}
	return opHolds(t.Op, cmpRate(num, den, t.Percent))
}

// cmpRate returns the sign of num/den − p/10000 for den > 0, in big integers
// because num·10000 overflows int64 long before the counts themselves do.
func cmpRate(num, den int64, p Percent) int {
	l := new(big.Int).Mul(big.NewInt(num), big.NewInt(10000))
	r := new(big.Int).Mul(big.NewInt(int64(p)), big.NewInt(den))
	return l.Cmp(r)
}

func opHolds(op string, c int) bool {
	switch op {
	case "=":
		return c == 0
	case ">=":
		return c >= 0
	case ">":
		return c > 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	}
	return false
}

func opSymbol(op string) string {
	switch op {
	case ">=":
		return "≥"
	case "<=":
		return "≤"
	case "!=":
		return "≠"
	}
	return op
}

func opNegation(op string) string {
	return map[string]string{"=": "!=", ">=": "<", ">": "<=", "<": ">=", "<=": ">"}[op]
}

// Thresholds are the campaign's success thresholds for the seven criteria.
type Thresholds struct {
	// TipsProcessed is criterion 1: processed / received.
	TipsProcessed Threshold `json:"tips_processed"`
	// MinEffectiveModels is criterion 3: the least number of effective self-management models.
	MinEffectiveModels int64 `json:"min_effective_models"`
	// HouseholdsReached is criterion 4: reached / households.
	HouseholdsReached Threshold `json:"households_reached"`
	// CasesSolved is criterion 5: solved / initiated.
	CasesSolved Threshold `json:"cases_solved"`
	// SeriousSolved is criterion 5: very and especially serious solved / initiated.
	SeriousSolved Threshold `json:"serious_solved"`
	// Reoffending is criterion 6: re-offending / released.
	Reoffending Threshold `json:"reoffending"`
	// IncidentReduction is criterion 7: (baseline − current) / baseline.
	IncidentReduction Threshold `json:"incident_reduction"`
	// NotApplicableCountsAsMet makes a criterion with a zero denominator count towards success.
	NotApplicableCountsAsMet bool `json:"not_applicable_counts_as_met"`
}

// DefaultThresholds returns the seed plan's thresholds: "từ 80% trở lên" is
// ≥, "dưới 15%" is strictly <, "ít nhất 10%" is ≥.
func DefaultThresholds() Thresholds {
	return Thresholds{
		TipsProcessed:            Threshold{"=", WholePercent(100)},
		MinEffectiveModels:       1,
		HouseholdsReached:        Threshold{"=", WholePercent(100)},
		CasesSolved:              Threshold{">=", WholePercent(80)},
		SeriousSolved:            Threshold{">=", WholePercent(95)},
		Reoffending:              Threshold{"<", WholePercent(15)},
		IncidentReduction:        Threshold{">=", WholePercent(10)},
		NotApplicableCountsAsMet: true,
	}
}

// ValidateThresholds checks thresholds a province edits, naming fields as "cases_solved.percent".
func ValidateThresholds(t Thresholds) error {
	fe := FieldErrors{}
	for _, x := range []struct {
		field string
		th    Threshold
	}{
		{"tips_processed", t.TipsProcessed},
		{"households_reached", t.HouseholdsReached},
		{"cases_solved", t.CasesSolved},
		{"serious_solved", t.SeriousSolved},
		{"reoffending", t.Reoffending},
		{"incident_reduction", t.IncidentReduction},
	} {
		if opNegation(x.th.Op) == "" {
			fe.Add(x.field+".op", "Phép so sánh phải là một trong =, >=, >, <, <=")
		}
		if x.th.Percent < 0 || x.th.Percent > WholePercent(100) {
			fe.Add(x.field+".percent", "Tỷ lệ phải từ 0% đến 100%")
		}
	}
	if t.MinEffectiveModels < 0 {
		fe.AddMsg("min_effective_models", MsgNegative("Số mô hình tối thiểu"))
	}
	return fe.Err()
}

// DecodeThresholds decodes campaign thresholds strictly; fields the JSON
// leaves out keep their defaults, so older stored settings stay valid.
func DecodeThresholds(data []byte) (Thresholds, error) {
	t := DefaultThresholds()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		var e *Error
		if errors.As(err, &e) {
			return Thresholds{}, e
		}
		return Thresholds{}, Invalid("Ngưỡng tiêu chí không đúng định dạng: "+err.Error(), nil)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Thresholds{}, Invalid("Ngưỡng tiêu chí không đúng định dạng: thừa dữ liệu sau đối tượng JSON", nil)
	}
	if err := ValidateThresholds(t); err != nil {
		return Thresholds{}, err
	}
	return t, nil
}

// Statuses of a criterion.
const (
	CriterionMet           = "met"
	CriterionNotMet        = "not_met"
	CriterionNotApplicable = "not_applicable"
	// CriterionMissing means some input is absent or unusable; it never counts as met.
	CriterionMissing = "missing"
)

// Codes of the seven criteria.
const (
	CritTips           = "tips"
	CritPolitical      = "political_system"
	CritModelsRules    = "models_rules"
	CritHouseholds     = "households"
	CritCrimeSolving   = "crime_solving"
	CritRecidivism     = "recidivism"
	CritCrimeReduction = "crime_reduction"
)

// Criterion describes one of the seven success criteria, for table headers and exports.
type Criterion struct {
	Number int    `json:"number"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	// Inputs are the indicator codes the criterion reads.
	Inputs []string `json:"inputs"`
}

// SuccessCriteria returns the seven criteria (tiêu chí chuyển hóa thành công) in the seed's order.
func SuccessCriteria() [7]Criterion {
	return [7]Criterion{
		{1, CritTips, "Tiếp nhận, xử lý tin báo, tố giác tội phạm", "Crime tips received are processed",
			[]string{IndTipsReceived, IndTipsProcessed}},
		{2, CritPolitical, "Hệ thống chính trị được kiện toàn, hoạt động hiệu quả", "Political system consolidated and effective",
			[]string{IndPoliticalSystem}},
		{3, CritModelsRules, "Mô hình tự quản; nội quy, quy tắc nếp sống cộng đồng", "Self-management models; community rules",
			[]string{IndModelsEffective, IndCommunityRules}},
		{4, CritHouseholds, "Hộ dân được tuyên truyền phòng, chống tội phạm", "Households reached by crime-prevention outreach",
			[]string{IndHouseholds, IndHouseholdsReached}},
		{5, CritCrimeSolving, "Không có tội phạm kiểu “xã hội đen”; điều tra, khám phá tội phạm", "No organised crime; crimes solved",
			[]string{IndOrganisedCrime, IndCasesInitiated, IndCasesSolved, IndSeriousInitiated, IndSeriousSolved}},
		{6, CritRecidivism, "Tái phạm tội của người chấp hành xong án phạt tù, đặc xá", "Recidivism of released prisoners",
			[]string{IndReleasedResiding, IndReoffending}},
		{7, CritCrimeReduction, "Giảm tội phạm và tệ nạn xã hội", "Crime and social evils reduced",
			[]string{IndIncidentsBaseline, IndIncidentsCurrent}},
	}
}

// Rate is one exact ratio a criterion compares with its threshold.
type Rate struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Num   int64  `json:"num"`
	Den   int64  `json:"den"`
	// Percent is Num/Den for display, e.g. "90,00%", empty when Den is 0.
	// When inexact it is rounded away from the threshold, so the figure shown
	// never contradicts the verdict (99,995% against "= 100%" shows 99,99%).
	Percent   string    `json:"percent"`
	Threshold Threshold `json:"threshold"`
	// Status is met, not_met or not_applicable.
	Status string `json:"status"`
}

// CriterionResult is the verdict on one criterion for one report.
type CriterionResult struct {
	Number int    `json:"number"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	Status string `json:"status"`
	// CountsAsMet is true when met, or not applicable and the campaign counts that as met.
	CountsAsMet bool   `json:"counts_as_met"`
	Rates       []Rate `json:"rates,omitempty"`
	// Inputs are the values read, by indicator code; an absent input is null.
	Inputs map[string]Value `json:"inputs"`
	// Reason explains the verdict in Vietnamese, e.g. "Tỷ lệ điều tra, khám phá 79/100 = 79,00% < 80%".
	Reason string `json:"reason"`
}

// Evaluation is the verdict on all seven criteria for one report.
type Evaluation struct {
	Criteria [7]CriterionResult `json:"criteria"`
	// MetCount counts the criteria with CountsAsMet.
	MetCount int `json:"met_count"`
	// AllMet means the target area qualifies for exit on this report.
	AllMet bool `json:"all_met"`
}

// Evaluate judges the seven criteria on report values v with thresholds t
// (which should pass ValidateThresholds). It is exact, never uses floats, and
// never reports missing data as met: a part that fails makes the criterion
// not_met, else any absent or unusable input makes it missing, else it is
// not_applicable when every part has a zero denominator, else met.
func Evaluate(v ReportValues, t Thresholds) Evaluation {
	var e Evaluation
	for i, c := range SuccessCriteria() {
		ev := &evaluator{v: v, label: labeller(nil), res: CriterionResult{
			Number: c.Number, Code: c.Code, Name: c.Name, NameEN: c.NameEN,
			Inputs: make(map[string]Value, len(c.Inputs)),
		}}
		for _, code := range c.Inputs {
			ev.res.Inputs[code] = v[code]
		}
		switch c.Code {
		case CritTips:
			ev.ratio("tips_processed", "Tỷ lệ xử lý tin báo, tố giác tội phạm", IndTipsProcessed, IndTipsReceived, t.TipsProcessed)
		case CritPolitical:
			ev.political()
		case CritModelsRules:
			ev.modelsRules(t.MinEffectiveModels)
		case CritHouseholds:
			ev.ratio("households_reached", "Tỷ lệ hộ dân được tuyên truyền", IndHouseholdsReached, IndHouseholds, t.HouseholdsReached)
		case CritCrimeSolving:
			ev.crimeSolving(t)
		case CritRecidivism:
			ev.ratio("reoffending", "Tỷ lệ tái phạm tội", IndReoffending, IndReleasedResiding, t.Reoffending)
		case CritCrimeReduction:
			ev.reduction(t.IncidentReduction)
		}
		r := ev.finish()
		r.CountsAsMet = r.Status == CriterionMet || (r.Status == CriterionNotApplicable && t.NotApplicableCountsAsMet)
		if r.CountsAsMet {
			e.MetCount++
		}
		e.Criteria[i] = r
	}
	e.AllMet = e.MetCount == len(e.Criteria)
	return e
}

// evaluator gathers the parts of one criterion's verdict.
type evaluator struct {
	v       ReportValues
	label   func(string) string
	res     CriterionResult
	parts   []string // statuses of the parts judged
	reasons []string
	missing []string // labels of absent inputs
	invalid []string // labels of inputs of the wrong kind or negative
}

// count returns the count for code, noting it as missing or invalid when it is not usable.
func (ev *evaluator) count(code string) (int64, bool) {
	n, ok := ev.peekCount(code)
	if !ok {
		ev.flag(code)
	}
	return n, ok
}

func (ev *evaluator) peekCount(code string) (int64, bool) {
	n, ok := ev.v.Count(code)
	return n, ok && n >= 0
}

func (ev *evaluator) flag(code string) {
	if ev.v[code].IsNull() {
		ev.missing = append(ev.missing, "“"+ev.label(code)+"”")
	} else {
		ev.invalid = append(ev.invalid, "“"+ev.label(code)+"”")
	}
}

func (ev *evaluator) boolean(code string) (bool, bool) {
	b, ok := ev.v.Bool(code)
	if !ok {
		ev.flag(code)
	}
	return b, ok
}

func (ev *evaluator) part(status, reason string) {
	ev.parts = append(ev.parts, status)
	if reason != "" {
		ev.reasons = append(ev.reasons, reason)
	}
}

// ratio judges num/den; a zero denominator makes the part not applicable
// even if the numerator is absent, since nothing can be counted against it.
func (ev *evaluator) ratio(code, label, numCode, denCode string, th Threshold) {
	den, okDen := ev.peekCount(denCode)
	switch {
	case !okDen:
		ev.flag(denCode)
		if _, okNum := ev.peekCount(numCode); !okNum {
			ev.flag(numCode)
		}
		ev.part(CriterionMissing, "")
		return
	case den == 0:
		ev.notApplicable(code, label, th, "không áp dụng vì "+lowerFirst(ev.label(denCode))+" bằng 0")
		return
	}
	num, ok := ev.count(numCode)
	if !ok {
		ev.part(CriterionMissing, "")
		return
	}
	ev.rate(code, label, num, den, th, formatIntVN(num))
}

func (ev *evaluator) notApplicable(code, label string, th Threshold, why string) {
	ev.res.Rates = append(ev.res.Rates, Rate{Code: code, Label: label, Threshold: th, Status: CriterionNotApplicable})
	ev.part(CriterionNotApplicable, label+": "+why)
}

// rate records num/den (den > 0) against th; numText lets criterion 7 show
// its numerator as the difference it is.
func (ev *evaluator) rate(code, label string, num, den int64, th Threshold, numText string) {
	c := cmpRate(num, den, th.Percent)
	met := opHolds(th.Op, c)
	pct, exact := ratePercent(num, den, c)
	status, op := CriterionMet, th.Op
	if !met {
		status, op = CriterionNotMet, opNegation(th.Op)
	}
	eq := "="
	if !exact {
		eq = "≈"
	}
	ev.res.Rates = append(ev.res.Rates, Rate{Code: code, Label: label, Num: num, Den: den, Percent: pct, Threshold: th, Status: status})
	ev.part(status, fmt.Sprintf("%s %s/%s %s %s %s %s", label, numText, formatIntVN(den), eq, pct, opSymbol(op), th.Percent))
}

func (ev *evaluator) political() {
	a, ok := ev.v.Assessment(IndPoliticalSystem)
	if !ok {
		ev.flag(IndPoliticalSystem)
		ev.part(CriterionMissing, "")
		return
	}
	status, s := CriterionNotMet, "Được đánh giá chưa đạt"
	if a.Met {
		status, s = CriterionMet, "Được đánh giá đạt"
	}
	if a.Note != "" {
		s += ": " + a.Note
	}
	ev.part(status, s)
}

func (ev *evaluator) modelsRules(minModels int64) {
	if n, ok := ev.count(IndModelsEffective); ok {
		status, op := CriterionMet, "≥"
		if n < minModels {
			status, op = CriterionNotMet, "<"
		}
		ev.part(status, fmt.Sprintf("Số mô hình tự quản hoạt động hiệu quả %s %s %s", formatIntVN(n), op, formatIntVN(minModels)))
	} else {
		ev.part(CriterionMissing, "")
	}
	if kept, ok := ev.boolean(IndCommunityRules); !ok {
		ev.part(CriterionMissing, "")
	} else if kept {
		ev.part(CriterionMet, "Đã xây dựng và duy trì nội quy, quy tắc nếp sống cộng đồng")
	} else {
		ev.part(CriterionNotMet, "Chưa xây dựng, duy trì nội quy, quy tắc nếp sống cộng đồng")
	}
}

// crimeSolving treats "no organised crime" as a precondition rather than a
// part, so that with no cases at all the criterion is not applicable, not met.
func (ev *evaluator) crimeSolving(t Thresholds) {
	if organised, ok := ev.boolean(IndOrganisedCrime); !ok {
		ev.part(CriterionMissing, "")
	} else if organised {
		ev.part(CriterionNotMet, "Có dấu hiệu hoạt động của tội phạm có tổ chức kiểu “xã hội đen”")
	} else {
		ev.reasons = append(ev.reasons, "Không có dấu hiệu tội phạm có tổ chức kiểu “xã hội đen”")
	}
	ev.ratio("cases_solved", "Tỷ lệ điều tra, khám phá", IndCasesSolved, IndCasesInitiated, t.CasesSolved)
	ev.ratio("serious_solved", "Tỷ lệ điều tra, khám phá án rất nghiêm trọng, đặc biệt nghiêm trọng", IndSeriousSolved, IndSeriousInitiated, t.SeriousSolved)
}

// reduction judges (baseline − current) / baseline; a rise gives a negative rate, which fails any sane threshold.
func (ev *evaluator) reduction(th Threshold) {
	const code, label = "incident_reduction", "Tỷ lệ giảm phạm pháp hình sự, tệ nạn xã hội"
	base, okBase := ev.peekCount(IndIncidentsBaseline)
	switch {
	case !okBase:
		ev.flag(IndIncidentsBaseline)
		if _, ok := ev.peekCount(IndIncidentsCurrent); !ok {
			ev.flag(IndIncidentsCurrent)
		}
		ev.part(CriterionMissing, "")
		return
	case base == 0:
		ev.notApplicable(code, label, th, "không áp dụng vì số vụ trước khi chuyển hóa bằng 0")
		return
	}
	cur, ok := ev.count(IndIncidentsCurrent)
	if !ok {
		ev.part(CriterionMissing, "")
		return
	}
	// Both are ≥ 0, so the difference cannot overflow.
	ev.rate(code, label, base-cur, base, th, "("+formatIntVN(base)+" − "+formatIntVN(cur)+")")
}

func (ev *evaluator) finish() CriterionResult {
	r := ev.res
	anyNotMet, allNA := false, len(ev.parts) > 0
	for _, s := range ev.parts {
		anyNotMet = anyNotMet || s == CriterionNotMet
		allNA = allNA && s == CriterionNotApplicable
	}
	switch {
	case anyNotMet:
		r.Status = CriterionNotMet
	case len(ev.missing) > 0 || len(ev.invalid) > 0:
		r.Status = CriterionMissing
	case allNA:
		r.Status = CriterionNotApplicable
	default:
		r.Status = CriterionMet
	}
	reasons := ev.reasons
	if len(ev.missing) > 0 {
		reasons = append(reasons, "Thiếu số liệu "+strings.Join(ev.missing, ", "))
	}
	if len(ev.invalid) > 0 {
		reasons = append(reasons, "Số liệu không hợp lệ "+strings.Join(ev.invalid, ", "))
	}
	r.Reason = strings.Join(reasons, "; ")
	return r
}

// ratePercent formats num/den (den > 0) in percent with two decimals; c is
// the sign of the rate against the threshold and picks the rounding
// direction, so an inexact figure lies on the same side of it as the rate.
func ratePercent(num, den int64, c int) (string, bool) {
	h := new(big.Int).Mul(big.NewInt(num), big.NewInt(10000))
	q, m := new(big.Int).DivMod(h, big.NewInt(den), new(big.Int)) // Euclidean: q is the floor for den > 0
	exact := m.Sign() == 0
	if !exact && c > 0 {
		q.Add(q, big.NewInt(1))
	}
	return formatHundredthsVN(q) + "%", exact
}

// formatHundredthsVN writes h/100 the vi-VN way: "-1.234,50".
func formatHundredthsVN(h *big.Int) string {
	sign := ""
	if h.Sign() < 0 {
		sign = "-"
	}
	s := new(big.Int).Abs(h).String()
	for len(s) < 3 {
		s = "0" + s
	}
	intPart, frac := s[:len(s)-2], s[len(s)-2:]
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return sign + b.String() + "," + frac
}
