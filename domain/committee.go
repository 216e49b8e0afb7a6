package domain

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Positions in a steering committee (Ban Chỉ đạo).
const (
	PositionHead           = "head"
	PositionStandingDeputy = "standing_deputy"
	PositionDeputy         = "deputy"
	PositionMember         = "member"
)

// CommitteePositions returns the positions in order of rank.
func CommitteePositions() []string {
	return []string{PositionHead, PositionStandingDeputy, PositionDeputy, PositionMember}
}

// PositionLabel returns the Vietnamese name of a committee position, "" when unknown.
func PositionLabel(position string) string {
	switch position {
	case PositionHead:
		return "Trưởng ban"
	case PositionStandingDeputy:
		return "Phó Trưởng ban thường trực"
	case PositionDeputy:
		return "Phó Trưởng ban"
	case PositionMember:
		return "Thành viên"
	}
	return ""
}

// CommitteeMember is a member of a unit's steering committee. The head is
// usually the chair of the People's Committee and the standing deputy the
// police chief; a member assigned to a target area reports on it monthly.
type CommitteeMember struct {
	ID int64 `json:"id"`
	// UnitID is the unit whose committee this is.
	UnitID   int64  `json:"unit_id"`
	FullName string `json:"full_name"`
	Position string `json:"position"`
	// JobTitle is the member's office, e.g. "Chủ tịch UBND thị xã".
	JobTitle string `json:"job_title,omitempty"`
	// Agency is where the member works, e.g. "Công an thị xã".
	Agency string `json:"agency,omitempty"`
	Phone  string `json:"phone,omitempty"`
	// TargetAreaIDs are the target areas the member is assigned to.
	TargetAreaIDs []int64   `json:"target_area_ids"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// ValidateCommitteeMember checks one member, naming "full_name", "position",
// "phone", "target_area_ids[0]"….
func ValidateCommitteeMember(m CommitteeMember) error {
	fe := FieldErrors{}
	validateMember(fe, "", m)
	return fe.Err()
}

func validateMember(fe FieldErrors, prefix string, m CommitteeMember) {
	requireText(fe, prefix+"full_name", m.FullName, "Họ và tên", maxShortText)
	if PositionLabel(m.Position) == "" {
		fe.AddMsg(prefix+"position", MsgChoice("Chức danh trong Ban Chỉ đạo phải là head, standing_deputy, deputy hoặc member"))
	}
	optionalText(fe, prefix+"job_title", m.JobTitle, "Chức vụ", maxTitleText)
	optionalText(fe, prefix+"agency", m.Agency, "Cơ quan", maxTitleText)
	if m.Phone != "" && !validPhone(m.Phone) {
		fe.AddMsg(prefix+"phone", MsgPhone())
	}
	for i, id := range m.TargetAreaIDs {
		f := fmt.Sprintf("%starget_area_ids[%d]", prefix, i)
		if id <= 0 {
			fe.Add(f, "Địa bàn không hợp lệ")
		} else if slices.Index(m.TargetAreaIDs, id) != i {
			fe.Add(f, "Địa bàn bị lặp")
		}
	}
}

// ValidateCommittee checks a unit's whole roster, naming "members[3].position":
// every member valid, at most one head and one standing deputy head.
func ValidateCommittee(members []CommitteeMember) error {
	fe := FieldErrors{}
	first := map[string]int{}
	for i, m := range members {
		prefix := fmt.Sprintf("members[%d].", i)
		validateMember(fe, prefix, m)
		if m.Position == PositionHead || m.Position == PositionStandingDeputy {
			if j, dup := first[m.Position]; dup {
				fe.Add(prefix+"position", fmt.Sprintf("Ban Chỉ đạo chỉ có một %s (đã có thành viên thứ %d)", PositionLabel(m.Position), j+1))
			} else {
				first[m.Position] = i
			}
		}
	}
	return fe.Err()
}

// validPhone accepts a Vietnamese telephone number as people write it:
// digits with spaces, dots, dashes or brackets, "+84" or "84" for the
// leading 0. Since the 2017–2018 renumbering a mobile number has 10 digits
// (0 and a 3, 5, 7, 8 or 9) and a fixed line 11 (0, the 2-prefixed area
// code, the subscriber); a 9-digit number is one digit short.
func validPhone(s string) bool {
	if len(s) > 30 {
		return false
	}
	var d []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			d = append(d, c)
		case c == '+' && len(d) == 0 && i == strings.IndexFunc(s, func(r rune) bool { return r != ' ' }):
		case c == ' ' || c == '.' || c == '-' || c == '(' || c == ')':
		default:
			return false
		}
	}
	n := string(d)
	if strings.HasPrefix(n, "84") && (len(n) == 11 || len(n) == 12) {
		n = "0" + n[2:]
	}
	switch {
	case len(n) == 10 && n[0] == '0' && strings.ContainsRune("35789", rune(n[1])):
		return true
	case len(n) == 11 && strings.HasPrefix(n, "02"):
		return true
	}
	return false
}

// Types of self-management models (mô hình tự quản); the first four are the
// seed's, in its wording.
const (
	ModelBoardingHouses      = "nha_tro_antt_pccc"
	ModelSecurityCamera      = "camera_an_ninh"
	ModelSkilfulMobilisation = "dan_van_kheo"
	ModelFirePrevention      = "lien_gia_pccc"
	ModelSecurityTeam        = "tu_quan_antt"
	ModelReintegration       = "cam_hoa_tai_hoa_nhap"
	ModelMediation           = "hoa_giai_co_so"
	ModelOther               = "khac"
)

// ModelType is one kind of self-management model.
type ModelType struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// ModelTypes returns the list of model types, starting with the seed's four
// (“Tổ liên gia nhà trọ tự quản về ANTT và PCCC”; “Tổ liên gia camera an
// ninh”; mô hình “Dân vận khéo”; “Tổ liên gia phòng cháy chữa cháy”).
func ModelTypes() []ModelType {
	return []ModelType{
		{ModelBoardingHouses, "Tổ liên gia nhà trọ tự quản về ANTT và PCCC"},
		{ModelSecurityCamera, "Tổ liên gia camera an ninh"},
		{ModelSkilfulMobilisation, "Dân vận khéo"},
		{ModelFirePrevention, "Tổ liên gia phòng cháy chữa cháy"},
		{ModelSecurityTeam, "Tổ tự quản về an ninh, trật tự"},
		{ModelReintegration, "Tổ giáo dục, cảm hóa người lầm lỗi tái hòa nhập cộng đồng"},
		{ModelMediation, "Tổ hòa giải ở cơ sở"},
		{ModelOther, "Mô hình khác"},
	}
}

// ModelTypeName returns the Vietnamese name of a model type code, "" when unknown.
func ModelTypeName(code string) string {
	for _, t := range ModelTypes() {
		if t.Code == code {
			return t.Name
		}
	}
	return ""
}

// SelfManagementModel is a self-management model of a unit; criterion 3
// counts the effective ones.
type SelfManagementModel struct {
	ID            int64     `json:"id"`
	UnitID        int64     `json:"unit_id"`
	Name          string    `json:"name"`
	Type          string    `json:"type"`
	EstablishedOn Date      `json:"established_on"`
	MembersCount  int64     `json:"members_count"`
	Effective     bool      `json:"effective"`
	Notes         string    `json:"notes,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// ValidateModel checks a model as of today, naming "name", "type",
// "established_on" (not in the future) and "members_count" (≥ 0).
func ValidateModel(m SelfManagementModel, today Date) error {
	fe := FieldErrors{}
	requireText(fe, "name", m.Name, "Tên mô hình", maxTitleText)
	if ModelTypeName(m.Type) == "" {
		fe.AddMsg("type", MsgChoice("Loại mô hình không có trong danh mục"))
	}
	if !m.EstablishedOn.IsZero() {
		if !m.EstablishedOn.Valid() {
			fe.AddMsg("established_on", MsgBadDate("Ngày thành lập"))
		} else if !today.IsZero() && m.EstablishedOn.After(today) {
			fe.AddMsg("established_on", MsgFuture("Ngày thành lập", m.EstablishedOn))
		}
	}
	if m.MembersCount < 0 {
		fe.AddMsg("members_count", MsgNegative("Số thành viên"))
	}
	optionalText(fe, "notes", m.Notes, "Ghi chú", maxLongText)
	return fe.Err()
}

// CountEffectiveModels counts the effective models, the figure criterion 3 reads.
func CountEffectiveModels(models []SelfManagementModel) int64 {
	var n int64
	for _, m := range models {
		if m.Effective {
			n++
		}
	}
	return n
}

// MaxBudgetAmount bounds one budget line (10^15 VND), far above any real
// line, so a typo is caught and totals cannot overflow.
const MaxBudgetAmount int64 = 1_000_000_000_000_000

// BudgetLine is one line of a plan's budget estimate (dự trù kinh phí).
type BudgetLine struct {
	ID       int64  `json:"id"`
	PlanID   int64  `json:"plan_id"`
	Position int    `json:"position"`
	Item     string `json:"item"`
	// Amount is in đồng (VND), a whole number ≥ 0.
	Amount int64 `json:"amount"`
	// FundingSource is where the money comes from, e.g. "Ngân sách thị xã".
	FundingSource string `json:"funding_source,omitempty"`
}

// ValidateBudgetLine checks one line, naming "item", "amount" (0 to MaxBudgetAmount) and "funding_source".
func ValidateBudgetLine(b BudgetLine) error {
	fe := FieldErrors{}
	validateBudgetLine(fe, "", b)
	return fe.Err()
}

func validateBudgetLine(fe FieldErrors, prefix string, b BudgetLine) {
	requireText(fe, prefix+"item", b.Item, "Nội dung chi", maxTitleText)
	switch {
	case b.Amount < 0:
		fe.AddMsg(prefix+"amount", MsgNegative("Số tiền"))
	case b.Amount > MaxBudgetAmount:
		fe.Add(prefix+"amount", "Số tiền vượt quá giới hạn 10^15 đồng")
	}
	optionalText(fe, prefix+"funding_source", b.FundingSource, "Nguồn kinh phí", maxTitleText)
}

// BudgetTotal sums the amounts of lines; false when a line is negative or the sum overflows.
func BudgetTotal(lines []BudgetLine) (int64, bool) {
	var sum int64
	for _, b := range lines {
		if b.Amount < 0 || sum > math.MaxInt64-b.Amount {
			return 0, false
		}
		sum += b.Amount
	}
	return sum, true
}
