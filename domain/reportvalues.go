package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"unicode/utf8"
)

// Assessment is a reviewer's judgement with the reason for it.
type Assessment struct {
	Met  bool   `json:"met"`
	Note string `json:"note"`
}

// Value is one indicator's value in a report: a count, a yes/no or an
// assessment, or null. Its fields are unexported so a Value always holds
// exactly one kind, and Values compare with ==.
type Value struct {
	kind  string // "" (null), IndicatorCount, IndicatorBool or IndicatorAssessment
	count int64
	flag  bool // the bool, or Assessment.Met
	note  string
}

// CountValue returns a count value.
func CountValue(n int64) Value { return Value{kind: IndicatorCount, count: n} }

// BoolValue returns a yes/no value.
func BoolValue(b bool) Value { return Value{kind: IndicatorBool, flag: b} }

// AssessmentValue returns an assessment value.
func AssessmentValue(a Assessment) Value {
	return Value{kind: IndicatorAssessment, flag: a.Met, note: a.Note}
}

// Kind returns the indicator type the value holds, or "" for null.
func (v Value) Kind() string { return v.kind }

// IsNull reports whether v holds nothing; in a patch it clears the stored value.
func (v Value) IsNull() bool { return v.kind == "" }

// Count returns the count, if v is one.
func (v Value) Count() (int64, bool) { return v.count, v.kind == IndicatorCount }

// Bool returns the yes/no, if v is one.
func (v Value) Bool() (bool, bool) { return v.flag, v.kind == IndicatorBool }

// Assessment returns the assessment, if v is one.
func (v Value) Assessment() (Assessment, bool) {
	if v.kind != IndicatorAssessment {
		return Assessment{}, false
	}
	return Assessment{Met: v.flag, Note: v.note}, true
}

// String returns the JSON form, which is unambiguous in logs and audit records.
func (v Value) String() string {
	b, _ := v.MarshalJSON()
	return string(b)
}

// FormatVN returns the value as a Vietnamese reader expects it: 1.234, Có/Không, Đạt/Chưa đạt, or — for null.
func (v Value) FormatVN() string {
	switch v.kind {
	case IndicatorCount:
		return formatIntVN(v.count)
	case IndicatorBool:
		if v.flag {
			return "Có"
		}
		return "Không"
	case IndicatorAssessment:
		s := "Chưa đạt"
		if v.flag {
			s = "Đạt"
		}
		if v.note != "" {
			s += ": " + v.note
		}
		return s
	}
	return "—"
}

// MarshalJSON encodes a count as a number, a yes/no as true/false, an
// assessment as {"met":…,"note":…} and null as null.
func (v Value) MarshalJSON() ([]byte, error) {
	switch v.kind {
	case IndicatorCount:
		return strconv.AppendInt(nil, v.count, 10), nil
	case IndicatorBool:
		return strconv.AppendBool(nil, v.flag), nil
	case IndicatorAssessment:
		return json.Marshal(Assessment{Met: v.flag, Note: v.note})
	}
	return []byte("null"), nil
}

// UnmarshalJSON decodes a stored value, inferring its kind from the JSON
// token; it is as strict as DecodeReportValues except that it knows no catalogue.
func (v *Value) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return Errorf(EINVALID, "Giá trị rỗng")
	}
	var kind string
	switch b[0] {
	case 'n':
		*v = Value{}
		return nil
	case 't', 'f':
		kind = IndicatorBool
	case '{':
		kind = IndicatorAssessment
	default:
		kind = IndicatorCount
	}
	val, problem := parseValue(kind, b)
	if problem != "" {
		return Errorf(EINVALID, "Giá trị %s%s", truncate(string(b), 40), problem)
	}
	*v = val
	return nil
}

// maxNoteRunes bounds an assessment note so a report row stays a reasonable size.
const maxNoteRunes = 2000

// Suffixes appended to an indicator label to say what is wrong with its value.
const (
	probCount      = " phải là số nguyên không âm"
	probNegative   = " không được là số âm"
	probFraction   = " phải là số nguyên (không có phần thập phân hay số mũ)"
	probTooLarge   = " quá lớn"
	probBool       = " phải là có hoặc không (true hoặc false)"
	probAssessment = ` phải là một đánh giá dạng {"met": true hoặc false, "note": "nhận xét"}`
	probNoteLong   = " có nhận xét dài quá 2000 ký tự"
)

// problemMsg says what parseValue found wrong with the value of the
// indicator labelled label; the problems a web page can word in another
// language get their key.
func problemMsg(label, problem string) Msg {
	switch problem {
	case probCount:
		return MsgNotCount(label)
	case probNegative:
		return MsgNegative(label)
	case probFraction:
		return MsgFraction(label)
	case probNoteLong:
		return MsgNoteTooLong(label, maxNoteRunes)
	}
	return Msg{Text: label + problem}
}

// parseValue parses raw, which is already well-formed JSON and not null, as
// a value of kind, and otherwise returns what is wrong as a label suffix.
//
// Counts must be written as plain integer literals: 1e3 and 10.0 are refused
// although they denote whole numbers, because a count never legitimately
// arrives that way and accepting it would hide a client sending floats.
func parseValue(kind string, raw []byte) (Value, string) {
	switch kind {
	case IndicatorCount:
		switch {
		case raw[0] == '-':
			if bytes.IndexAny(raw, ".eE") >= 0 {
				return Value{}, probFraction
			}
			return Value{}, probNegative
		case raw[0] < '0' || raw[0] > '9':
			return Value{}, probCount
		case bytes.IndexAny(raw, ".eE") >= 0:
			return Value{}, probFraction
		}
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if errors.Is(err, strconv.ErrRange) {
			return Value{}, probTooLarge
		} else if err != nil {
			return Value{}, probCount
		}
		return CountValue(n), ""
	case IndicatorBool:
		switch string(raw) {
		case "true":
			return BoolValue(true), ""
		case "false":
			return BoolValue(false), ""
		}
		return Value{}, probBool
	case IndicatorAssessment:
		if raw[0] != '{' {
			return Value{}, probAssessment
		}
		var met *bool
		var note string
		bad := false
		err := walkObject(raw, func(key string, val json.RawMessage) {
			switch {
			case key == "met" && met == nil && (string(val) == "true" || string(val) == "false"):
				b := string(val) == "true"
				met = &b
			case key == "note" && string(val) == "null":
			case key == "note" && val[0] == '"':
				if json.Unmarshal(val, &note) != nil {
					bad = true
				}
			default: // unknown or repeated key, or a value of the wrong type
				bad = true
			}
		})
		if err != nil || bad || met == nil {
			return Value{}, probAssessment
		}
		if utf8.RuneCountInString(note) > maxNoteRunes {
			return Value{}, probNoteLong
		}
		return AssessmentValue(Assessment{Met: *met, Note: note}), ""
	}
	return Value{}, probCount
}

// errDuplicateKey marks a key repeated in one JSON object, which
// encoding/json would silently resolve by keeping the last.
var errDuplicateKey = errors.New("duplicate key")

// walkObject calls fn for each member of the JSON object data, in order, and
// fails unless data is exactly one well-formed object.
func walkObject(data []byte, fn func(key string, val json.RawMessage)) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errNotObject
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, ok := tok.(string)
		if !ok {
			return errNotObject
		}
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return err
		}
		fn(key, bytes.TrimSpace(val))
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errTrailing
	}
	return nil
}

var (
	errNotObject = errors.New("not a JSON object")
	errTrailing  = errors.New("data after the JSON object")
)

// ReportValues holds one report's values by indicator code; as a patch, a
// null Value clears the stored value.
type ReportValues map[string]Value

// Count returns the count stored for code, if there is one.
func (v ReportValues) Count(code string) (int64, bool) { return v[code].Count() }

// Bool returns the yes/no stored for code, if there is one.
func (v ReportValues) Bool(code string) (bool, bool) { return v[code].Bool() }

// Assessment returns the assessment stored for code, if there is one.
func (v ReportValues) Assessment(code string) (Assessment, bool) { return v[code].Assessment() }

// DecodeReportValues strictly decodes a JSON object of indicator code to
// value as a patch, checking every value against the catalogue and the
// cross-field rules among the values it contains; every problem is gathered
// into one EINVALID error keyed by indicator code.
func DecodeReportValues(data []byte, catalogue []Indicator) (ReportValues, error) {
	patch, fe, err := decodePatch(data, catalogue)
	if err != nil {
		return nil, err
	}
	checkCross(patch, patch, labeller(catalogue), fe)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return patch, nil
}

// ApplyReportPatch decodes a patch and returns old with it applied, refusing
// the whole patch when any value or any cross-field rule on the result is
// wrong, so nothing already saved is lost; old is not modified.
func ApplyReportPatch(old ReportValues, data []byte, catalogue []Indicator) (ReportValues, error) {
	patch, fe, err := decodePatch(data, catalogue)
	if err != nil {
		return nil, err
	}
	merged := MergeValues(old, patch)
	checkCross(merged, patch, labeller(catalogue), fe)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return merged, nil
}

// decodePatch returns the well-typed values of data and the problems of the
// others, or an error when data is not a JSON object at all.
func decodePatch(data []byte, catalogue []Indicator) (ReportValues, FieldErrors, error) {
	byCode := make(map[string]Indicator, len(catalogue))
	for _, ind := range catalogue {
		byCode[ind.Code] = ind
	}
	patch := ReportValues{}
	fe := FieldErrors{}
	seen := map[string]bool{}
	err := walkObject(data, func(code string, raw json.RawMessage) {
		if seen[code] {
			delete(patch, code)
			fe[code] = Msg{Text: "Chỉ tiêu “" + truncate(code, 64) + "” được gửi hai lần"}
			return
		}
		seen[code] = true
		ind, ok := byCode[code]
		if !ok {
			fe.Add(code, "Chỉ tiêu “"+truncate(code, 64)+"” không có trong danh mục")
			return
		}
		if string(raw) == "null" {
			patch[code] = Value{}
			return
		}
		val, problem := parseValue(ind.Type, raw)
		if problem != "" {
			fe.AddMsg(code, problemMsg(ind.Label, problem))
			return
		}
		patch[code] = val
	})
	if err != nil {
		return nil, nil, jsonProblem(err)
	}
	return patch, fe, nil
}

func jsonProblem(err error) error {
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, errNotObject):
		return Invalid("Số liệu báo cáo phải là một đối tượng JSON dạng {\"mã chỉ tiêu\": giá trị}", nil)
	case errors.As(err, &syn):
		return Invalid(fmt.Sprintf("Số liệu báo cáo không phải JSON hợp lệ (lỗi ở byte thứ %d)", syn.Offset), nil)
	}
	return Invalid("Số liệu báo cáo không phải JSON hợp lệ", nil)
}

// crossRules lists pairs where the first count may not exceed the second.
var crossRules = [...]struct{ part, whole string }{
	{IndTipsProcessed, IndTipsReceived},
	{IndCasesSolved, IndCasesInitiated},
	{IndSeriousInitiated, IndCasesInitiated},
	{IndSeriousSolved, IndSeriousInitiated},
	{IndSeriousSolved, IndCasesSolved},
	{IndHouseholdsReached, IndHouseholds},
	{IndReoffending, IndReleasedResiding},
	{IndModelsEffective, IndModelsActive},
}

// checkCross records each cross-field rule v breaks, only where both counts
// are present because partial saves are allowed; the message goes on the
// field the patch touched, so the user sees it next to what they typed.
func checkCross(v, patch ReportValues, label func(string) string, fe FieldErrors) {
	for _, r := range crossRules {
		part, ok1 := v.Count(r.part)
		whole, ok2 := v.Count(r.whole)
		if !ok1 || !ok2 || part <= whole {
			continue
		}
		key := r.part
		if _, touched := patch[r.part]; !touched {
			if _, touched := patch[r.whole]; touched {
				key = r.whole
			}
		}
		fe.Add(key, fmt.Sprintf("%s (%s) không được lớn hơn %s (%s)",
			label(r.part), formatIntVN(part), lowerFirst(label(r.whole)), formatIntVN(whole)))
	}
}

var defaultLabels = func() map[string]string {
	m := map[string]string{}
	for _, ind := range DefaultIndicators() {
		m[ind.Code] = ind.Label
	}
	return m
}()

// labeller names indicators as the catalogue does, falling back to the
// default catalogue and then to the code.
func labeller(catalogue []Indicator) func(string) string {
	return func(code string) string {
		if ind, ok := FindIndicator(catalogue, code); ok && ind.Label != "" {
			return ind.Label
		}
		if l, ok := defaultLabels[code]; ok {
			return l
		}
		return code
	}
}

// ValidateReportValues checks values built outside DecodeReportValues (for
// example read back from storage): counts not negative, notes not too long,
// and the cross-field rules wherever both sides are present.
func ValidateReportValues(v ReportValues) error {
	fe := FieldErrors{}
	label := labeller(nil)
	for code, val := range v {
		if n, ok := val.Count(); ok && n < 0 {
			fe.AddMsg(code, MsgNegative(label(code)))
		}
		if a, ok := val.Assessment(); ok && utf8.RuneCountInString(a.Note) > maxNoteRunes {
			fe.AddMsg(code, problemMsg(label(code), probNoteLong))
		}
	}
	checkCross(v, nil, label, fe)
	return fe.Err()
}

// MergeValues returns old with patch applied, a null in patch clearing the
// value; neither argument is modified and the result holds no nulls.
func MergeValues(old, patch ReportValues) ReportValues {
	out := make(ReportValues, len(old)+len(patch))
	for k, v := range old {
		if !v.IsNull() {
			out[k] = v
		}
	}
	for k, v := range patch {
		if v.IsNull() {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// ValueChange is one indicator whose value differs between two revisions; a null side means absent.
type ValueChange struct {
	Code string `json:"code"`
	Old  Value  `json:"old"`
	New  Value  `json:"new"`
}

// DiffValues lists the indicators whose value differs from a to b, by code,
// treating an absent value and a null as the same.
func DiffValues(a, b ReportValues) []ValueChange {
	var out []ValueChange
	for k, av := range a {
		if bv := b[k]; av != bv {
			out = append(out, ValueChange{Code: k, Old: av, New: bv})
		}
	}
	for k, bv := range b {
		if _, inA := a[k]; !inA && !bv.IsNull() {
			out = append(out, ValueChange{Code: k, New: bv})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// formatIntVN groups thousands with dots, as vi-VN writes numbers.
func formatIntVN(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	if len(s) <= 3 {
		return sign + s
	}
	var b []byte
	pre := len(s) % 3
	if pre > 0 {
		b = append(b, s[:pre]...)
	}
	for i := pre; i < len(s); i += 3 {
		if len(b) > 0 {
			b = append(b, '.')
		}
		b = append(b, s[i:i+3]...)
	}
	return sign + string(b)
}
