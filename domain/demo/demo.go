// Package demo holds the demonstration data `chuyenhoa seed demo` loads: the
// real Việt Yên tree of 2024 and two more districts of Bắc Giang, the 2024
// campaign of Quyết định 301/QĐ-BCĐ with Phường Nếnh as its target area
// (and three more wards, a demo assumption), the district plan of the seed
// with its real Vietnamese text, a draft ward plan, the steering
// committees, and Q1 reports with baselines (figures are demo assumptions). Objects refer to each other by official unit
// code, because database IDs exist only once the data is stored.
//
// The seed writes the ward as "Nénh"; its official name is "Nếnh". Text
// copied from the seed keeps "Nénh"; names, titles and fields of our own use
// "Nếnh".
package demo

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"
	"time"

	"chuyenhoa/domain"
)

// Official codes of the demo's units.
const (
	ProvinceCode = "24"    // Tỉnh Bắc Giang
	DistrictCode = "222"   // Thị xã Việt Yên
	NenhCode     = "07795" // Phường Nếnh, the target area
)

// CampaignYear is the year of the seed's campaign.
const CampaignYear = 2024

//go:embed units.csv
var unitsCSV []byte

// Unit is one administrative unit of the demo tree, as the units CSV import reads it.
type Unit struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	ParentCode string `json:"parent_code"`
	UnitType   string `json:"unit_type"`
}

// UnitsCSV returns the demo tree as a units CSV (code,name,kind,parent_code,unit_type),
// parents before children, ready for the units import.
func UnitsCSV() []byte { return bytes.Clone(unitsCSV) }

// Units returns the demo tree, parents before children: Bắc Giang (24);
// Thị xã Việt Yên (222) with its 17 wards and communes as they stood in 2024
// (old codes and names of vn-ward-mapping-2025.csv); Thành phố Bắc Giang
// (213) and Huyện Lạng Giang (217) with their wards as of
// vn-units-2019.csv.
func Units() []Unit {
	recs, err := csv.NewReader(bytes.NewReader(unitsCSV)).ReadAll()
	if err != nil {
		panic("demo: units.csv: " + err.Error())
	}
	out := make([]Unit, 0, len(recs)-1)
	for _, r := range recs[1:] {
		out = append(out, Unit{Code: r[0], Name: r[1], Kind: r[2], ParentCode: r[3], UnitType: r[4]})
	}
	return out
}

func date(year int, month time.Month, day int) domain.Date {
	return domain.Date{Year: year, Month: month, Day: day}
}

func mustDate(s string) domain.Date {
	if s == "" {
		return domain.Date{}
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		panic("demo: " + err.Error())
	}
	return d
}

// provinceCommittee is the full name of the province's steering committee as the seed writes it.
const provinceCommittee = "Ban Chỉ đạo phòng chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc tỉnh Bắc Giang"

// Decision301 returns Quyết định 301/QĐ-BCĐ of 07/02/2024, by which the
// province's committee approved the 2024 target areas. The seed names the
// issuing committee but not who signed it.
func Decision301() domain.Document {
	return domain.Document{
		Number: "301/QĐ-BCĐ",
		Date:   date(2024, time.February, 7),
		Issuer: provinceCommittee,
		Title:  "Phê duyệt địa bàn trọng điểm, phức tạp về TTATXH thực hiện chuyển hóa trong năm 2024",
	}
}

// References returns the documents the seed cites: Công văn 584/CAT-TM
// first, then the directives and resolutions of section 2.1 with what the
// seed gives of them: some have no date or issuer there, and none is added.
func References() []domain.Document {
	return []domain.Document{
		{Number: "584/CAT-TM", Date: date(2024, time.February, 23), Issuer: "Công an tỉnh Bắc Giang",
			Title: "Thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về TTATXH năm 2024"},
		{Number: "46-CT/TW", Date: date(2015, time.June, 22), Issuer: "Bộ Chính trị",
			Title: "Tăng cường sự lãnh đạo của Đảng đối với công tác bảo đảm an ninh, trật tự trong tình hình mới"},
		{Number: "05-KL/TW"},
		{Number: "48-CT/TW"},
		{Number: "148-NQ/TU", Date: date(2016, time.October, 20), Issuer: "Ban Thường vụ Tỉnh ủy Bắc Giang"},
		{Number: "11-CT/TU", Date: date(2017, time.December, 26), Issuer: "Ban Thường vụ Tỉnh ủy Bắc Giang",
			Title: "Tăng cường bảo đảm trật tự an toàn xã hội trên địa bàn tỉnh"},
		{Number: "18-CT/TU", Date: date(2020, time.April, 28), Issuer: "Ban Thường vụ Tỉnh ủy Bắc Giang",
			Title: "Nâng cao chất lượng công tác tiếp nhận, giải quyết tố giác, tin báo về tội phạm và kiến nghị khởi tố"},
	}
}

// Campaign is the demo campaign with the units it refers to by code.
type Campaign struct {
	ProvinceCode string          `json:"province_code"`
	Campaign     domain.Campaign `json:"campaign"`
	TargetAreas  []TargetArea    `json:"target_areas"`
}

// TargetArea is a demo target area with its history, by unit code.
type TargetArea struct {
	UnitCode       string            `json:"unit_code"`
	ProposedByCode string            `json:"proposed_by_code"`
	TargetArea     domain.TargetArea `json:"target_area"`
	History        []TargetAreaEvent `json:"history"`
}

// TargetAreaEvent is one step of a demo target area's history, by the role
// and unit code of who took it.
type TargetAreaEvent struct {
	Event     domain.TargetEvent `json:"event"`
	ActorCode string             `json:"actor_code"`
}

// Campaign2024 returns the 2024 campaign of Bắc Giang, created from
// Quyết định 301/QĐ-BCĐ with Công văn 584/CAT-TM as reference, the seed's
// calendar and thresholds, and Phường Nếnh as an approved target area due
// "xong trong tháng 12/2024" (31/12/2024), followed by three more wards of
// Việt Yên approved the same way so that comparisons have rows (a demo
// assumption: the seed names only Nếnh).
func Campaign2024() Campaign {
	c := domain.NewCampaign(0, CampaignYear)
	c.Decision = Decision301()
	c.References = References()[:1]
	areas := []TargetArea{Nenh2024()}
	for _, code := range []string{QuangChauCode, VanTrungCode, TangTienCode} {
		areas = append(areas, approvedArea(code,
			"Địa bàn có nhiều khu nhà trọ công nhân, tình hình trật tự, an toàn xã hội phức tạp; đề nghị thực hiện chuyển hóa, xong trong tháng 12/2024."))
	}
	return Campaign{ProvinceCode: ProvinceCode, Campaign: c, TargetAreas: areas}
}

// Nenh2024 returns Phường Nếnh as a target area of 2024: proposed by Việt
// Yên, approved by the province by Quyết định 301/QĐ-BCĐ. The seed dates
// only the decision, so both events carry 07/02/2024, the proposal first; the
// reason is ours, in the seed's terms.
func Nenh2024() TargetArea {
	return approvedArea(NenhCode, "Phường Nếnh là địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội; đề nghị thực hiện chuyển hóa, xong trong tháng 12/2024.")
}

// approvedArea returns a ward of Việt Yên as a target area of 2024
// proposed by the town with reason and approved by Quyết định 301/QĐ-BCĐ.
func approvedArea(code, reason string) TargetArea {
	dec := Decision301()
	approvedAt := dec.Date.Time().Add(time.Minute)
	proposedAt := dec.Date.Time()
	return TargetArea{
		UnitCode:       code,
		ProposedByCode: DistrictCode,
		TargetArea: domain.TargetArea{
			Reason:   reason,
			Deadline: domain.EndOfMonth(CampaignYear, time.December),
			Status:   domain.TargetApproved,
			Decision: &dec,
		},
		History: []TargetAreaEvent{
			{ActorCode: DistrictCode, Event: domain.TargetEvent{
				Action: domain.TargetActPropose, FromStatus: domain.TargetNone, ToStatus: domain.TargetProposed,
				ActorRole: domain.RoleDistrict, At: proposedAt, Comment: reason,
			}},
			{ActorCode: ProvinceCode, Event: domain.TargetEvent{
				Action: domain.TargetActApprove, FromStatus: domain.TargetProposed, ToStatus: domain.TargetApproved,
				ActorRole: domain.RoleProvince, At: approvedAt, Decision: &dec,
			}},
		},
	}
}

// Correction is one fix of an obvious OCR slip of the seed, applied to the text it copies.
type Correction struct {
	From string `json:"from"`
	To   string `json:"to"`
	Why  string `json:"why"`
}

// Corrections returns the fixes applied to the seed's text. "Nénh" is not
// among them: it is how the seed writes the ward, kept in copied text.
func Corrections() []Correction {
	return []Correction{
		{"BCD", "BCĐ", "viết tắt của Ban Chỉ đạo (mất dấu Đ)"},
		{"ANTO", "ANTQ", "an ninh Tổ quốc, như tên đầy đủ của Ban Chỉ đạo"},
		{"chuyên hoá", "chuyển hoá", "chuyển hóa địa bàn (mất dấu hỏi)"},
		{"Cùng cố", "Củng cố", "lỗi dấu"},
		{"kiểm chế", "kiềm chế", "kiềm chế tai nạn giao thông (lỗi dấu)"},
		{"kiên toàn", "kiện toàn", "kiện toàn hệ thống chính trị (lỗi dấu)"},
		{"hiệu quả hoạt của", "hiệu quả hoạt động của", "thiếu chữ “động”"},
	}
}

var fixer = func() *strings.Replacer {
	var pairs []string
	for _, c := range Corrections() {
		pairs = append(pairs, c.From, c.To)
	}
	return strings.NewReplacer(pairs...)
}()

// fix applies Corrections to text copied from the seed.
func fix(s string) string { return fixer.Replace(s) }

// seedTask is one task of the seed plan: our title and fields, the seed's text.
type seedTask struct {
	section, title, responsible, frequency, due string
	text                                        []string
}

// Objective kinds of the seed's four items of "Mục tiêu, yêu cầu": the seed
// does not label them, so items 1–2 (how to work) are read as requirements and
// items 3–4 (results to reach) as goals.
var seedObjectiveKinds = [...]string{domain.ObjectiveRequirement, domain.ObjectiveRequirement, domain.ObjectiveGoal, domain.ObjectiveGoal}

// Plan is a demo plan with its author and target area by unit code.
type Plan struct {
	AuthorCode string      `json:"author_code"`
	TargetCode string      `json:"target_code"`
	Plan       domain.Plan `json:"plan"`
	// Place is where the plan is issued, as its heading writes it.
	Place string `json:"place,omitempty"`
	// References are the documents the plan cites, in its order.
	References []domain.Document `json:"references,omitempty"`
	// Recipients is the plan's "Nơi nhận" list.
	Recipients []string `json:"recipients,omitempty"`
}

// DistrictPlan returns the seed: the 2024 plan of Việt Yên's steering
// committee for Phường Nếnh, with its four objectives and its tasks in
// sections 2.1, 2.2, 2.3 and "org" (III. Tổ chức thực hiện), text as the
// seed writes it (see Corrections). The seed leaves its number and day
// blank ("Số: /KH-BCĐ", "ngày  tháng 3 năm 2024"). The plan is issued,
// so the demo loads it as approved.
func DistrictPlan() Plan {
	p := domain.Plan{
		Number:   "/KH-BCĐ",
		Title:    "Thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội năm 2024",
		Preamble: fix(seedPreamble),
		Signer:   "TM. Ban Chỉ đạo – Trưởng ban, Chủ tịch Ủy ban nhân dân Nguyễn Đại Lượng",
		Status:   domain.PlanApproved,
		Budget:   Budget(),
	}
	for i, text := range seedObjectives {
		p.Objectives = append(p.Objectives, domain.Objective{Position: i + 1, Kind: seedObjectiveKinds[i], Text: fix(text)})
	}
	for i, t := range seedTasks {
		p.Tasks = append(p.Tasks, domain.Task{
			Position:    i + 1,
			Section:     t.section,
			Title:       t.title,
			Description: fix(strings.Join(t.text, "\n")),
			Responsible: t.responsible,
			Frequency:   t.frequency,
			Due:         mustDate(t.due),
			Status:      domain.TaskNotStarted,
		})
	}
	recipients := make([]string, len(seedRecipients))
	for i, r := range seedRecipients {
		recipients[i] = fix(r)
	}
	return Plan{
		AuthorCode: DistrictCode, TargetCode: NenhCode, Plan: p, Place: "Việt Yên",
		References: append([]domain.Document{Decision301()}, References()...),
		Recipients: recipients,
	}
}

// WardPlan returns Phường Nếnh's own plan in draft, started from the
// district's plan as a ward does (domain.CopyPlan), due before 12/03/2024.
func WardPlan() Plan {
	d := DistrictPlan()
	p := domain.CopyPlan(d.Plan, 0, domain.DefaultWardPlanDue(CampaignYear))
	p.Title = "Thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội phường Nếnh năm 2024"
	p.Preamble = "Thực hiện Kế hoạch của Ban Chỉ đạo thị xã Việt Yên về thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội năm 2024, Ban Chỉ đạo phường Nếnh xây dựng kế hoạch thực hiện như sau:"
	return Plan{AuthorCode: NenhCode, TargetCode: NenhCode, Plan: p, Place: "Nếnh"}
}

// SuccessCriteriaText returns the seed's seven criteria for a successful
// transformation (section II.3), in its words; domain.DefaultThresholds
// holds them as data.
func SuccessCriteriaText() []string {
	out := make([]string, len(seedCriteria))
	for i, s := range seedCriteria {
		out[i] = fix(s)
	}
	return out
}

// Member is a demo committee member with its unit and assignments by code.
type Member struct {
	UnitCode string                 `json:"unit_code"`
	Member   domain.CommitteeMember `json:"member"`
	// AssignedCodes are the units of the target areas the member is assigned to.
	AssignedCodes []string `json:"assigned_codes,omitempty"`
	// NamePlaceholder is true when the seed names no person: FullName then
	// holds the office, never an invented name.
	NamePlaceholder bool `json:"name_placeholder"`
}

func member(unit, name, position, jobTitle, agency string, placeholder bool, assigned ...string) Member {
	return Member{
		UnitCode: unit,
		Member: domain.CommitteeMember{FullName: name, Position: position, JobTitle: jobTitle, Agency: agency,
			TargetAreaIDs: []int64{}},
		AssignedCodes:   assigned,
		NamePlaceholder: placeholder,
	}
}

// Committee returns the steering committee of Thị xã Việt Yên. The seed
// names its head, who signs the plan (Nguyễn Đại Lượng, Chủ tịch UBND); the
// standing agency is the town police; the other members are the offices the
// seed gives tasks to or sends the plan to, named by office. The member
// assigned to Phường Nếnh, who reports monthly, is a demo assumption: the
// seed requires one but does not say who.
func Committee() []Member {
	const u = DistrictCode
	return []Member{
		member(u, "Nguyễn Đại Lượng", domain.PositionHead, "Chủ tịch UBND thị xã", "Ủy ban nhân dân thị xã Việt Yên", false),
		member(u, "Trưởng Công an thị xã", domain.PositionStandingDeputy, "Trưởng Công an thị xã", "Công an thị xã Việt Yên (Cơ quan Thường trực)", true),
		member(u, "Phó Chủ tịch UBND thị xã", domain.PositionDeputy, "Phó Chủ tịch UBND thị xã", "Ủy ban nhân dân thị xã Việt Yên", true),
		member(u, "Phó Trưởng Công an thị xã", domain.PositionMember, "Phó Trưởng Công an thị xã, phụ trách địa bàn phường Nếnh", "Công an thị xã Việt Yên", true, NenhCode),
		member(u, "Viện trưởng Viện Kiểm sát nhân dân thị xã", domain.PositionMember, "Viện trưởng", "Viện Kiểm sát nhân dân thị xã Việt Yên", true),
		member(u, "Chánh án Tòa án nhân dân thị xã", domain.PositionMember, "Chánh án", "Tòa án nhân dân thị xã Việt Yên", true),
		member(u, "Trưởng phòng Tài chính - Kế hoạch thị xã", domain.PositionMember, "Trưởng phòng", "Phòng Tài chính - Kế hoạch thị xã Việt Yên", true),
	}
}

// WardCommittee returns the steering committee of Phường Nếnh as section
// III.2 of the seed sets it up: the chair of the ward People's Committee as
// head, the ward police chief as standing deputy, and the ward's agencies
// and mass organisations as members (the Party secretary leads it directly
// without a seat of its own).
func WardCommittee() []Member {
	const u = NenhCode
	return []Member{
		member(u, "Chủ tịch UBND phường Nếnh", domain.PositionHead, "Chủ tịch UBND phường", "Ủy ban nhân dân phường Nếnh", true, NenhCode),
		member(u, "Trưởng Công an phường Nếnh", domain.PositionStandingDeputy, "Trưởng Công an phường", "Công an phường Nếnh", true, NenhCode),
		member(u, "Đại diện các ngành, đoàn thể phường", domain.PositionMember, "Thành viên", "Các ngành, đoàn thể phường Nếnh", true),
	}
}

// ModelTypes returns the seed's four types of self-management model.
func ModelTypes() []domain.ModelType { return domain.ModelTypes()[:4] }

// Budget returns the budget lines of the seed plan: none, because the seed
// only asks the town police and the finance office to draw up the estimate
// ("lên dự trù … kinh phí") without an item or amount.
func Budget() []domain.BudgetLine { return []domain.BudgetLine{} }

// Summary returns a one-line description of the demo data for the seed command's output.
func Summary() string {
	p := DistrictPlan()
	return fmt.Sprintf("%d đơn vị, chương trình năm %d (%s), địa bàn %s và %d địa bàn khác, kế hoạch %d mục tiêu/yêu cầu và %d nhiệm vụ, %d báo cáo quý I",
		len(Units()), CampaignYear, Decision301().Number, "Phường Nếnh", len(Campaign2024().TargetAreas)-1, len(p.Plan.Objectives), len(p.Plan.Tasks), len(Reports2024()))
}
