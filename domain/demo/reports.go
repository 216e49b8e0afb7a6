package demo

import (
	"time"

	"chuyenhoa/domain"
)

// The seed plan gives no figures: every number below is a demo assumption,
// chosen to be plausible for wards of an industrial town with many
// workers' lodging houses, and to exercise the product: Nếnh's Q1 report is returned once and then
// accepted with every criterion met, as the seed's 2024 scenario runs; the
// other three areas' Q1 reports are submitted late, returned with a
// reason, and left in draft past the due date (so "missing" on the
// comparison), with criteria met, not met and missing.

// Official codes of the demo's further target areas. The seed names only
// Nếnh; Quang Châu, Vân Trung and Tăng Tiến are demo assumptions (they are
// the wards that merged into Phường Nếnh on 1 July 2025).
const (
	QuangChauCode = "07807" // Phường Quang Châu
	VanTrungCode  = "07801" // Phường Vân Trung
	TangTienCode  = "07789" // Phường Tăng Tiến
)

// Steps of a demo report, as the report store's operations.
const (
	StepSave   = "save"
	StepSubmit = "submit"
	StepReturn = "return"
	StepAssess = "assess"
	StepAccept = "accept"
)

// ReportStep is one operation on a demo report by a user with Role at At:
// the ward or the police save values and submit; the district returns,
// assesses the political system and accepts.
type ReportStep struct {
	Action string              `json:"action"`
	Role   string              `json:"role"`
	At     time.Time           `json:"at"`
	Values domain.ReportValues `json:"values,omitempty"`
	// Comment is the reason of a return or the remark of an accept.
	Comment string `json:"comment,omitempty"`
	// Fields are a return's remarks by indicator code.
	Fields     map[string]string  `json:"fields,omitempty"`
	Assessment *domain.Assessment `json:"assessment,omitempty"`
}

// Report is a demo periodic report of a target area (by unit code) for a period.
type Report struct {
	UnitCode string       `json:"unit_code"`
	Period   string       `json:"period"`
	Steps    []ReportStep `json:"steps"`
	// Status is the report status the steps end in.
	Status string `json:"status"`
}

// Baseline is a demo target area's count of offences and social evils in
// the comparison period before transformation, entered by the district police.
type Baseline struct {
	UnitCode  string      `json:"unit_code"`
	Incidents int64       `json:"incidents"`
	From      domain.Date `json:"from"`
	To        domain.Date `json:"to"`
	Note      string      `json:"note"`
	// At is when it is entered.
	At time.Time `json:"at"`
}

// at returns hh:00 in Vietnam on a day of the campaign year.
func at(month time.Month, day, hour int) time.Time {
	return time.Date(CampaignYear, month, day, hour, 0, 0, 0, domain.VietnamLocation())
}

// values builds report values from counts (int64) and yes/no (bool).
func values(kv map[string]any) domain.ReportValues {
	out := domain.ReportValues{}
	for code, v := range kv {
		switch x := v.(type) {
		case int:
			out[code] = domain.CountValue(int64(x))
		case bool:
			out[code] = domain.BoolValue(x)
		default:
			panic("demo: value of " + code)
		}
	}
	return out
}

// Baselines2024 returns the baselines of the four demo target areas: the
// 2023 reporting year (15/12/2022 – 12/12/2023), entered on 20/02/2024.
func Baselines2024() []Baseline {
	b := func(code string, n int64) Baseline {
		return Baseline{UnitCode: code, Incidents: n, From: date(2022, time.December, 15), To: date(2023, time.December, 12),
			Note: "Số vụ phạm pháp hình sự và tệ nạn xã hội năm 2023 theo số liệu Công an thị xã Việt Yên (số liệu mẫu)",
			At:   at(time.February, 20, 9)}
	}
	return []Baseline{b(NenhCode, 78), b(QuangChauCode, 55), b(VanTrungCode, 41), b(TangTienCode, 36)}
}

// Reports2024 returns the demo's Q1 2024 reports (window 15/12/2023 –
// 12/03/2024, due before 13/03/2024). The police give the incidents of the
// same window a year earlier as incidents_baseline, the "cùng kỳ" of
// criterion 7.
func Reports2024() []Report {
	return []Report{
		{UnitCode: NenhCode, Period: domain.PeriodQ1, Status: domain.ReportAccepted, Steps: []ReportStep{
			{Action: StepSave, Role: domain.RoleWard, At: at(time.March, 4, 9), Values: values(map[string]any{
				domain.IndHouseholds: 6120, domain.IndHouseholdsReached: 5870, domain.IndModelsActive: 4, domain.IndModelsEffective: 3,
				domain.IndCommunityRules: true, domain.IndPropagandaSessions: 12, domain.IndPatrols: 86, domain.IndBusinessesInspected: 41,
				domain.IndRehabDossiers: 3, domain.IndDrugUsersManaged: 27, domain.IndNewDrugUsers: 1,
			})},
			{Action: StepSave, Role: domain.RolePolice, At: at(time.March, 5, 10), Values: values(map[string]any{
				domain.IndTipsReceived: 14, domain.IndTipsProcessed: 14, domain.IndOrganisedCrime: false,
				domain.IndCasesInitiated: 6, domain.IndCasesSolved: 5, domain.IndSeriousInitiated: 1, domain.IndSeriousSolved: 1,
				domain.IndReleasedResiding: 38, domain.IndReoffending: 2, domain.IndIncidentsCurrent: 19, domain.IndIncidentsBaseline: 24,
				domain.IndWeaponsCollected: 4, domain.IndWantedSurrendered: 1,
			})},
			{Action: StepSubmit, Role: domain.RoleWard, At: at(time.March, 7, 15)},
			{Action: StepReturn, Role: domain.RoleDistrict, At: at(time.March, 8, 10),
				Comment: "Số hộ dân được tuyên truyền (5.870/6.120 hộ) chưa đạt 100%; đề nghị phường rà soát, bổ sung kết quả tuyên truyền tại các tổ dân phố còn thiếu.",
				Fields:  map[string]string{domain.IndHouseholdsReached: "Kiểm tra lại số hộ được tuyên truyền; tiêu chí 4 yêu cầu 100% hộ dân."}},
			{Action: StepSave, Role: domain.RoleWard, At: at(time.March, 11, 9), Values: values(map[string]any{domain.IndHouseholdsReached: 6120})},
			{Action: StepSubmit, Role: domain.RoleWard, At: at(time.March, 11, 10)},
			{Action: StepAssess, Role: domain.RoleDistrict, At: at(time.March, 12, 9), Assessment: &domain.Assessment{Met: true,
				Note: "Đảng ủy, chính quyền, Ban Chỉ đạo phường được kiện toàn; giao ban định kỳ hằng tháng."}},
			{Action: StepAccept, Role: domain.RoleDistrict, At: at(time.March, 12, 10), Comment: "Báo cáo đầy đủ, đạt yêu cầu."},
		}},
		{UnitCode: QuangChauCode, Period: domain.PeriodQ1, Status: domain.ReportSubmitted, Steps: []ReportStep{
			{Action: StepSave, Role: domain.RoleWard, At: at(time.March, 10, 9), Values: values(map[string]any{
				domain.IndHouseholds: 4310, domain.IndHouseholdsReached: 4310, domain.IndModelsActive: 2, domain.IndModelsEffective: 1,
				domain.IndCommunityRules: true, domain.IndPropagandaSessions: 7, domain.IndPatrols: 52, domain.IndBusinessesInspected: 23,
			})},
			{Action: StepSave, Role: domain.RolePolice, At: at(time.March, 13, 16), Values: values(map[string]any{
				domain.IndTipsReceived: 9, domain.IndTipsProcessed: 9, domain.IndOrganisedCrime: false,
				domain.IndCasesInitiated: 5, domain.IndCasesSolved: 3, domain.IndSeriousInitiated: 0, domain.IndSeriousSolved: 0,
				domain.IndReleasedResiding: 21, domain.IndReoffending: 1, domain.IndIncidentsCurrent: 14, domain.IndIncidentsBaseline: 17,
			})},
			// Submitted on the due date itself: late.
			{Action: StepSubmit, Role: domain.RolePolice, At: at(time.March, 13, 17)},
		}},
		{UnitCode: VanTrungCode, Period: domain.PeriodQ1, Status: domain.ReportReturned, Steps: []ReportStep{
			{Action: StepSave, Role: domain.RoleWard, At: at(time.March, 6, 9), Values: values(map[string]any{
				domain.IndHouseholds: 3450, domain.IndHouseholdsReached: 3010, domain.IndModelsActive: 1, domain.IndModelsEffective: 0,
				domain.IndCommunityRules: true, domain.IndPropagandaSessions: 5,
			})},
			{Action: StepSave, Role: domain.RolePolice, At: at(time.March, 7, 10), Values: values(map[string]any{
				domain.IndTipsReceived: 6, domain.IndTipsProcessed: 5, domain.IndOrganisedCrime: false,
				domain.IndCasesInitiated: 3, domain.IndCasesSolved: 3, domain.IndSeriousInitiated: 0, domain.IndSeriousSolved: 0,
				domain.IndReleasedResiding: 16, domain.IndReoffending: 3, domain.IndIncidentsCurrent: 11, domain.IndIncidentsBaseline: 11,
			})},
			{Action: StepSubmit, Role: domain.RoleWard, At: at(time.March, 8, 14)},
			{Action: StepReturn, Role: domain.RoleDistrict, At: at(time.March, 11, 15),
				Comment: "Đề nghị Công an phường làm rõ tin báo chưa xử lý và số người tái phạm; phường bổ sung kết quả tuyên truyền tại các khu nhà trọ.",
				Fields: map[string]string{
					domain.IndTipsProcessed: "Còn 01 tin báo chưa xử lý: ghi rõ lý do và thời hạn giải quyết.",
					domain.IndReoffending:   "Đối chiếu lại danh sách người chấp hành xong án phạt tù tái phạm.",
				}},
		}},
		{UnitCode: TangTienCode, Period: domain.PeriodQ1, Status: domain.ReportDraft, Steps: []ReportStep{
			{Action: StepSave, Role: domain.RoleWard, At: at(time.March, 12, 16), Values: values(map[string]any{
				domain.IndHouseholds: 2980, domain.IndHouseholdsReached: 2980, domain.IndModelsActive: 2, domain.IndModelsEffective: 2,
				domain.IndCommunityRules: false, domain.IndPropagandaSessions: 4,
			})},
		}},
	}
}
