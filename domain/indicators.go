package domain

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Indicator types: what kind of value a report holds for the indicator.
const (
	IndicatorCount      = "count"
	IndicatorBool       = "bool"
	IndicatorAssessment = "assessment"
)

// Roles that may enter an indicator; they spell the same as the authorisation
// roles so a handler can pass the user's roles straight through.
const (
	EnteredByPolice   = "police"
	EnteredByWard     = "ward"
	EnteredByDistrict = "district"
)

// Codes of the default indicators; they are stored in report data, so they never change.
const (
	IndTipsReceived        = "tips_received"
	IndTipsProcessed       = "tips_processed"
	IndHouseholds          = "households"
	IndHouseholdsReached   = "households_reached"
	IndModelsActive        = "models_active"
	IndModelsEffective     = "models_effective"
	IndCommunityRules      = "community_rules"
	IndOrganisedCrime      = "organised_crime"
	IndCasesInitiated      = "cases_initiated"
	IndCasesSolved         = "cases_solved"
	IndSeriousInitiated    = "serious_initiated"
	IndSeriousSolved       = "serious_solved"
	IndReleasedResiding    = "released_residing"
	IndReoffending         = "reoffending"
	IndIncidentsCurrent    = "incidents_current"
	IndIncidentsBaseline   = "incidents_baseline"
	IndPoliticalSystem     = "political_system"
	IndPropagandaSessions  = "propaganda_sessions"
	IndPatrols             = "patrols"
	IndBusinessesInspected = "businesses_inspected"
	IndRehabDossiers       = "rehab_dossiers"
	IndDrugUsersManaged    = "drug_users_managed"
	IndNewDrugUsers        = "new_drug_users"
	IndWeaponsCollected    = "weapons_collected"
	IndWantedSurrendered   = "wanted_surrendered"
)

// Indicator is one figure of the periodic report; the catalogue is campaign
// data because a province may add its own indicators.
type Indicator struct {
	Code string `json:"code"`
	// Label names the indicator in Vietnamese, with diacritics, in forms, messages and exports.
	Label   string `json:"label"`
	LabelEN string `json:"label_en"`
	Unit    string `json:"unit"`
	Type    string `json:"type"`
	// Group is the code of the section of the official report the indicator belongs to.
	Group string `json:"group"`
	// EnteredBy lists the roles that may enter or correct the value.
	EnteredBy []string `json:"entered_by"`
	Hint      string   `json:"hint,omitempty"`
	// EnteredThrough is "assessment" for an indicator that is not part of
	// the report's values: the reviewer sets it after submission through
	// the report's assessment (POST /api/v1/reports/{id}/assessment); a
	// value of it sent with the report is refused.
	EnteredThrough string `json:"entered_through,omitempty"`
}

// EnteredThroughAssessment marks an indicator set by the reviewer's
// assessment of a submitted report.
const EnteredThroughAssessment = "assessment"

// EnterableBy reports whether a user with role may enter the indicator.
func (ind Indicator) EnterableBy(role string) bool {
	return slices.Contains(ind.EnteredBy, role)
}

// IndicatorGroup is a section of the official report, in the order the report prints them.
type IndicatorGroup struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

// Codes of the default indicator groups.
const (
	GroupTips       = "tips"
	GroupPolitical  = "political"
	GroupModels     = "models"
	GroupHouseholds = "households"
	GroupCrime      = "crime"
	GroupRecidivism = "recidivism"
	GroupIncidents  = "incidents"
	GroupActivities = "activities"
)

// DefaultIndicatorGroups returns the report sections, ordered as the seven criteria and then the activity counters.
func DefaultIndicatorGroups() []IndicatorGroup {
	return []IndicatorGroup{
		{GroupTips, "Tiếp nhận, xử lý tin báo, tố giác tội phạm", "Crime tips and denunciations"},
		{GroupPolitical, "Hệ thống chính trị cơ sở", "Local political system"},
		{GroupModels, "Mô hình tự quản; nội quy, quy tắc nếp sống cộng đồng", "Self-management models; community rules"},
		{GroupHouseholds, "Tuyên truyền phòng, chống tội phạm đến hộ dân", "Crime-prevention outreach to households"},
		{GroupCrime, "Tội phạm có tổ chức; điều tra, khám phá án", "Organised crime; case clearance"},
		{GroupRecidivism, "Người chấp hành xong án phạt tù, đặc xá về cư trú", "Released prisoners residing in the area"},
		{GroupIncidents, "Phạm pháp hình sự và tệ nạn xã hội", "Criminal offences and social evils"},
		{GroupActivities, "Kết quả các hoạt động theo kế hoạch", "Plan activities"},
	}
}

var (
	policeOnly       = []string{EnteredByPolice}
	wardOrPolice     = []string{EnteredByWard, EnteredByPolice}
	wardOnly         = []string{EnteredByWard}
	districtReviewer = []string{EnteredByDistrict}
)

// DefaultIndicators returns the catalogue of the seed plan; crime figures
// (inputs of criteria 1, 5, 6 and 7) are entered by the police only.
func DefaultIndicators() []Indicator {
	c := func(code, label, labelEN, unit, group string, by []string, hint string) Indicator {
		return Indicator{Code: code, Label: label, LabelEN: labelEN, Unit: unit, Type: IndicatorCount,
			Group: group, EnteredBy: slices.Clone(by), Hint: hint}
	}
	return []Indicator{
		c(IndTipsReceived, "Số tin báo, tố giác tội phạm đã tiếp nhận", "Crime tips and denunciations received",
			"tin", GroupTips, policeOnly, "Kể cả kiến nghị khởi tố"),
		c(IndTipsProcessed, "Số tin báo, tố giác tội phạm đã xử lý", "Crime tips and denunciations processed",
			"tin", GroupTips, policeOnly, "Không lớn hơn số tin đã tiếp nhận"),
		{Code: IndPoliticalSystem, Label: "Hệ thống chính trị được kiện toàn, hoạt động hiệu quả, vững mạnh, đoàn kết",
			LabelEN: "Political system consolidated and effective", Type: IndicatorAssessment, Group: GroupPolitical,
			EnteredBy: slices.Clone(districtReviewer), Hint: "Do cấp huyện đánh giá khi xét duyệt báo cáo, kèm nhận xét",
			EnteredThrough: EnteredThroughAssessment},
		c(IndModelsActive, "Số mô hình tự quản đang hoạt động", "Self-management models in operation",
			"mô hình", GroupModels, wardOnly, ""),
		c(IndModelsEffective, "Số mô hình tự quản hoạt động hiệu quả", "Self-management models judged effective",
			"mô hình", GroupModels, wardOnly, "Không lớn hơn số mô hình đang hoạt động"),
		{Code: IndCommunityRules, Label: "Đã xây dựng và duy trì nội quy, quy tắc nếp sống cộng đồng văn minh, tiến bộ",
			LabelEN: "Rules of civilised community life built and kept", Type: IndicatorBool, Group: GroupModels,
			EnteredBy: slices.Clone(wardOnly)},
		c(IndHouseholds, "Số hộ dân trên địa bàn", "Households in the area",
			"hộ", GroupHouseholds, wardOrPolice, ""),
		c(IndHouseholdsReached, "Số hộ dân được phổ biến, tuyên truyền về phòng, chống tội phạm", "Households reached by crime-prevention outreach",
			"hộ", GroupHouseholds, wardOrPolice, "Không lớn hơn số hộ dân trên địa bàn"),
		{Code: IndOrganisedCrime, Label: "Có dấu hiệu hoạt động của tội phạm có tổ chức kiểu “xã hội đen”",
			LabelEN: "Signs of organised gangster-style crime", Type: IndicatorBool, Group: GroupCrime,
			EnteredBy: slices.Clone(policeOnly)},
		c(IndCasesInitiated, "Số vụ án hình sự đã khởi tố", "Criminal cases initiated",
			"vụ", GroupCrime, policeOnly, ""),
		c(IndCasesSolved, "Số vụ án hình sự đã điều tra, khám phá", "Criminal cases solved",
			"vụ", GroupCrime, policeOnly, "Không lớn hơn số vụ đã khởi tố"),
		c(IndSeriousInitiated, "Số vụ án rất nghiêm trọng, đặc biệt nghiêm trọng đã khởi tố", "Very and especially serious cases initiated",
			"vụ", GroupCrime, policeOnly, "Nằm trong tổng số vụ án đã khởi tố"),
		c(IndSeriousSolved, "Số vụ án rất nghiêm trọng, đặc biệt nghiêm trọng đã điều tra, khám phá", "Very and especially serious cases solved",
			"vụ", GroupCrime, policeOnly, "Nằm trong tổng số vụ án đã điều tra, khám phá"),
		c(IndReleasedResiding, "Số người chấp hành xong án phạt tù, được đặc xá về cư trú tại địa bàn", "Released or amnestied prisoners residing in the area",
			"người", GroupRecidivism, policeOnly, ""),
		c(IndReoffending, "Số người chấp hành xong án phạt tù, được đặc xá tái phạm tội", "Of them, re-offending",
			"người", GroupRecidivism, policeOnly, "Nằm trong số người về cư trú tại địa bàn"),
		c(IndIncidentsCurrent, "Số vụ phạm pháp hình sự, tệ nạn xã hội trong kỳ", "Criminal offences and social-evil cases in the period",
			"vụ", GroupIncidents, policeOnly, ""),
		c(IndIncidentsBaseline, "Số vụ phạm pháp hình sự, tệ nạn xã hội cùng kỳ trước khi chuyển hóa", "The same count in the baseline period before transformation",
			"vụ", GroupIncidents, policeOnly, "Có thể lấy từ số liệu gốc của địa bàn"),
		c(IndPropagandaSessions, "Số buổi tuyên truyền", "Propaganda sessions",
			"buổi", GroupActivities, wardOrPolice, ""),
		c(IndPatrols, "Số lượt tuần tra", "Patrols",
			"lượt", GroupActivities, wardOrPolice, ""),
		c(IndBusinessesInspected, "Số lượt kiểm tra cơ sở kinh doanh có điều kiện về ANTT (cầm đồ, lưu trú, karaoke…)", "Inspections of conditional businesses (pawn shops, lodging, karaoke)",
			"lượt", GroupActivities, wardOrPolice, ""),
		c(IndRehabDossiers, "Số hồ sơ đề nghị áp dụng biện pháp giáo dục tại xã, phường, đưa vào cơ sở cai nghiện bắt buộc", "Dossiers for education in the commune or compulsory rehabilitation",
			"hồ sơ", GroupActivities, wardOrPolice, ""),
		c(IndDrugUsersManaged, "Số người sử dụng trái phép chất ma túy đang được quản lý", "Drug users under management",
			"người", GroupActivities, wardOrPolice, ""),
		c(IndNewDrugUsers, "Số người sử dụng trái phép chất ma túy phát sinh mới", "New drug users",
			"người", GroupActivities, wardOrPolice, "Mục tiêu: 0"),
		c(IndWeaponsCollected, "Số vũ khí, vật liệu nổ, công cụ hỗ trợ thu hồi", "Weapons and explosives collected",
			"khẩu, quả, chiếc", GroupActivities, wardOrPolice, ""),
		c(IndWantedSurrendered, "Số đối tượng truy nã ra đầu thú", "Wanted persons surrendered",
			"đối tượng", GroupActivities, wardOrPolice, ""),
	}
}

// FindIndicator returns the indicator of catalogue with the code.
func FindIndicator(catalogue []Indicator, code string) (Indicator, bool) {
	for _, ind := range catalogue {
		if ind.Code == code {
			return ind, true
		}
	}
	return Indicator{}, false
}

var (
	indicatorTypes = map[string]bool{IndicatorCount: true, IndicatorBool: true, IndicatorAssessment: true}
	entryRoles     = map[string]bool{EnteredByPolice: true, EnteredByWard: true, EnteredByDistrict: true}
)

// maxIndicatorCode keeps codes usable as form field names and spreadsheet headers.
const maxIndicatorCode = 64

// ValidateIndicators checks a catalogue a province edits, naming bad fields as "indicators[i].field".
func ValidateIndicators(catalogue []Indicator) error {
	fe := FieldErrors{}
	seen := map[string]int{}
	for i, ind := range catalogue {
		f := func(name string) string { return fmt.Sprintf("indicators[%d].%s", i, name) }
		switch {
		case ind.Code == "":
			fe.AddMsg(f("code"), MsgRequired("Mã chỉ tiêu"))
		case !validIndicatorCode(ind.Code):
			fe.Add(f("code"), fmt.Sprintf("Mã chỉ tiêu chỉ gồm chữ thường không dấu, chữ số và '_', bắt đầu bằng chữ cái, tối đa %d ký tự", maxIndicatorCode))
		default:
			if j, dup := seen[ind.Code]; dup {
				fe.Add(f("code"), fmt.Sprintf("Mã chỉ tiêu %q trùng với chỉ tiêu thứ %d", ind.Code, j+1))
			} else {
				seen[ind.Code] = i
			}
		}
		if !hasText(ind.Label) {
			fe.AddMsg(f("label"), MsgRequired("Tên chỉ tiêu"))
		}
		if !indicatorTypes[ind.Type] {
			fe.Add(f("type"), "Loại chỉ tiêu phải là count, bool hoặc assessment")
		}
		if len(ind.EnteredBy) == 0 {
			fe.Add(f("entered_by"), "Phải chỉ rõ ai được nhập chỉ tiêu")
		}
		for _, r := range ind.EnteredBy {
			if !entryRoles[r] {
				fe.Add(f("entered_by"), fmt.Sprintf("Vai trò %q không được nhập số liệu (chỉ police, ward, district)", truncate(r, 40)))
			}
		}
	}
	return fe.Err()
}

func validIndicatorCode(s string) bool {
	if len(s) > maxIndicatorCode || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// CheckEntryRights refuses a patch touching an indicator none of roles may
// enter (function-level authorisation, OWASP API5); a province that lets
// wards enter crime figures does so by editing EnteredBy in its catalogue.
func CheckEntryRights(patch ReportValues, catalogue []Indicator, roles ...string) error {
	fe := FieldErrors{}
	for code := range patch {
		ind, ok := FindIndicator(catalogue, code)
		if !ok {
			fe.Add(code, fmt.Sprintf("Chỉ tiêu “%s” không có trong danh mục", truncate(code, 64)))
			continue
		}
		if !slices.ContainsFunc(roles, ind.EnterableBy) {
			fe.Add(code, fmt.Sprintf("Bạn không có quyền nhập chỉ tiêu “%s” (chỉ %s)", ind.Label, rolesVN(ind.EnteredBy)))
		}
	}
	if len(fe) == 0 {
		return nil
	}
	e := fe.Invalid("Không có quyền nhập một số chỉ tiêu")
	e.Code = EFORBIDDEN
	return e
}

func rolesVN(roles []string) string {
	names := map[string]string{EnteredByPolice: "Công an", EnteredByWard: "cấp xã", EnteredByDistrict: "cấp huyện"}
	out := make([]string, 0, len(roles))
	for _, r := range roles {
		if n, ok := names[r]; ok {
			out = append(out, n)
		} else {
			out = append(out, r)
		}
	}
	return strings.Join(out, ", ")
}

func hasText(s string) bool { return strings.TrimSpace(s) != "" }

// lowerFirst lets a label that starts a sentence also sit inside one.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
