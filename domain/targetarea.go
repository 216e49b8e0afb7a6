package domain

import (
	"fmt"
	"strings"
	"time"
)

// Target-area statuses. TargetNone is the state of a unit that is not yet a
// target area of the campaign: "propose" starts from it.
const (
	TargetNone         = ""
	TargetProposed     = "proposed"
	TargetApproved     = "approved"
	TargetRejected     = "rejected"
	TargetInProgress   = "in_progress"
	TargetExitProposed = "exit_proposed"
	TargetExited       = "exited"
	TargetNotExited    = "not_exited"
	TargetCarriedOver  = "carried_over"
	// TargetRelapseWatch is an area exited in the previous year's campaign
	// that keeps reporting the campaign's relapse indicators this year, so
	// that it does not become complex again ("tái phức tạp").
	TargetRelapseWatch = "relapse_watch"
)

// Target-area actions.
const (
	TargetActPropose         = "propose"
	TargetActApprove         = "approve"
	TargetActReject          = "reject"
	TargetActStart           = "start"
	TargetActProposeExit     = "propose_exit"
	TargetActDecideExit      = "decide_exit"
	TargetActDecideNotExited = "decide_not_exited"
	TargetActCarryOver       = "carry_over"
	// TargetActCarryIn starts the next year's target area of a unit carried
	// over: it is approved at once, continuing the old one.
	TargetActCarryIn = "carry_in"
	// TargetActWatchRelapse puts an area exited last year under relapse watch in this year's campaign.
	TargetActWatchRelapse = "watch_relapse"
)

var (
	// byParentUnit is the unit directly above the ward: its district, or
	// the province for a ward directly under it (the two-tier government
	// since 1 July 2025). The role alone does not decide: the store also
	// checks that the actor's unit is the ward's parent (see
	// tenants.DirectlyUnder), so a province never does the job of a
	// district that exists.
	byParentUnit       = []string{RoleDistrict, RoleProvince}
	byProvince         = []string{RoleProvince}
	byDistrictProvince = []string{RoleDistrict, RoleProvince}
)

// targetWorkflow is the lifecycle of a target area in one campaign. The
// unit directly above the ward (its district, or the province when the ward
// has no district) proposes an area and, with evidence, its exit; the
// province approves, rejects and decides. A district or the province marks an approved
// area as started. An area still in progress at the end of the year, or
// judged not transformed, may be carried over; next year's campaign then
// gets a new target area for the same unit (carry_in, approved at once), so
// the history shows both. An area exited last year enters this year's
// campaign under relapse watch (watch_relapse), where it reports only the
// campaign's relapse indicators and can be neither exited nor carried over.
var targetWorkflow = &workflow{
	object: ObjectTargetArea,
	noun:   "địa bàn trọng điểm",
	table: []transition{
		{TargetNone, TargetActPropose, TargetProposed, byParentUnit},
		{TargetProposed, TargetActApprove, TargetApproved, byProvince},
		{TargetProposed, TargetActReject, TargetRejected, byProvince},
		{TargetApproved, TargetActStart, TargetInProgress, byDistrictProvince},
		{TargetInProgress, TargetActProposeExit, TargetExitProposed, byParentUnit},
		{TargetExitProposed, TargetActDecideExit, TargetExited, byProvince},
		{TargetExitProposed, TargetActDecideNotExited, TargetNotExited, byProvince},
		{TargetInProgress, TargetActCarryOver, TargetCarriedOver, byProvince},
		{TargetNotExited, TargetActCarryOver, TargetCarriedOver, byProvince},
		{TargetNone, TargetActCarryIn, TargetApproved, byProvince},
		{TargetNone, TargetActWatchRelapse, TargetRelapseWatch, byProvince},
	},
	states: map[string]string{
		TargetNone:         "Chưa được đề xuất",
		TargetProposed:     "Đã đề xuất",
		TargetApproved:     "Đã phê duyệt",
		TargetRejected:     "Không được phê duyệt",
		TargetInProgress:   "Đang thực hiện chuyển hóa",
		TargetExitProposed: "Đã đề xuất đưa ra khỏi diện trọng điểm",
		TargetExited:       "Đã chuyển hóa thành công",
		TargetNotExited:    "Chưa chuyển hóa thành công",
		TargetCarriedOver:  "Chuyển sang năm sau",
		TargetRelapseWatch: "Theo dõi tái phức tạp",
	},
	actions: map[string]string{
		TargetActPropose:         "Đề xuất địa bàn trọng điểm",
		TargetActApprove:         "Phê duyệt",
		TargetActReject:          "Không phê duyệt",
		TargetActStart:           "Bắt đầu thực hiện chuyển hóa",
		TargetActProposeExit:     "Đề xuất đưa ra khỏi diện trọng điểm",
		TargetActDecideExit:      "Quyết định đưa ra khỏi diện trọng điểm",
		TargetActDecideNotExited: "Kết luận chưa chuyển hóa thành công",
		TargetActCarryOver:       "Chuyển sang năm sau",
		TargetActCarryIn:         "Tiếp tục chuyển hóa từ năm trước",
		TargetActWatchRelapse:    "Đưa vào theo dõi tái phức tạp",
	},
}

// TargetStatuses returns every status of a target area (without TargetNone) in lifecycle order.
func TargetStatuses() []string {
	return []string{TargetProposed, TargetApproved, TargetRejected, TargetInProgress,
		TargetExitProposed, TargetExited, TargetNotExited, TargetCarriedOver, TargetRelapseWatch}
}

// TargetActions returns every target-area action in lifecycle order.
func TargetActions() []string {
	return []string{TargetActPropose, TargetActApprove, TargetActReject, TargetActStart,
		TargetActProposeExit, TargetActDecideExit, TargetActDecideNotExited, TargetActCarryOver,
		TargetActCarryIn, TargetActWatchRelapse}
}

// TargetStatusLabel returns the Vietnamese label of a target-area status.
func TargetStatusLabel(status string) string { return targetWorkflow.stateLabel(status) }

// TargetActionLabel returns the Vietnamese label of a target-area action.
func TargetActionLabel(action string) string { return targetWorkflow.actions[action] }

// TargetTransition returns the status a target area in status from reaches by
// action, and false when the action does not apply in that status.
func TargetTransition(from, action string) (to string, ok bool) {
	return targetWorkflow.next(from, action)
}

// TargetActionRoles returns the roles that perform action: the ward's parent
// unit — a district, or the province for a ward directly under it — proposes
// and proposes the exit; the province approves, rejects and decides. For
// propose and propose_exit the caller also checks the actor's unit is the
// ward's parent.
func TargetActionRoles(action string) []string { return targetWorkflow.actorsOf(action) }

// TargetAvailableActions lists the actions a user with roles may take on a
// target area in status, for the buttons a page shows.
func TargetAvailableActions(status string, roles ...string) []string {
	return targetWorkflow.available(status, roles)
}

// CheckTargetTransition returns the status after action by a user with roles,
// or an error naming why it is refused: EINVALID (unknown action),
// EFORBIDDEN (no role may do it) or ECONFLICT (wrong status), the last two as
// *TransitionError. Scope (whose unit it is) is the caller's check.
func CheckTargetTransition(from, action string, roles ...string) (string, error) {
	return targetWorkflow.check(from, action, roles)
}

// TargetTerminal reports whether no action applies to a target area in status any more.
func TargetTerminal(status string) bool {
	for _, t := range targetWorkflow.table {
		if t.from == status {
			return false
		}
	}
	return status != TargetNone
}

// Document is an official document: a decision (quyết định), an official
// letter (công văn), a directive (chỉ thị)… Number is written as printed,
// e.g. "301/QĐ-BCĐ".
type Document struct {
	Number string `json:"number"`
	Date   Date   `json:"date"`
	// Issuer is the issuing body, e.g. "Công an tỉnh Bắc Giang".
	Issuer string `json:"issuer,omitempty"`
	// Signer is the person or office that signed, when known.
	Signer string `json:"signer,omitempty"`
	// Title is what the document is about ("về việc …").
	Title string `json:"title,omitempty"`
}

// IsZero reports whether no field of the document is set.
func (d Document) IsZero() bool {
	return d.Number == "" && d.Date.IsZero() && d.Issuer == "" && d.Signer == "" && d.Title == ""
}

// String cites the document as a Vietnamese text does: "301/QĐ-BCĐ ngày 07/02/2024".
func (d Document) String() string {
	s := d.Number
	if !d.Date.IsZero() {
		s += " ngày " + d.Date.FormatVN()
	}
	if d.Issuer != "" {
		s += " của " + d.Issuer
	}
	return strings.TrimSpace(s)
}

// TargetArea is one unit in one campaign (địa bàn trọng điểm, phức tạp về
// TTATXH). A unit can be a target area again in a later campaign: that is a
// new TargetArea, and both histories remain.
type TargetArea struct {
	ID         int64 `json:"id"`
	CampaignID int64 `json:"campaign_id"`
	// UnitID is the ward (or any unit) being transformed.
	UnitID int64 `json:"unit_id"`
	// ProposedByUnitID is the unit that proposed the area: the ward's
	// district, or the province for a ward directly under it.
	ProposedByUnitID int64 `json:"proposed_by_unit_id"`
	// Reason is why the proposing unit proposes the area.
	Reason string `json:"reason"`
	// Deadline is the last day by which transformation should be done; the
	// seed's "Xong trong tháng 12/2024" is 31/12/2024 (see EndOfMonth).
	Deadline Date   `json:"deadline"`
	Status   string `json:"status"`
	// Decision is the province's approval decision, e.g. Quyết định 301/QĐ-BCĐ.
	Decision *Document `json:"decision,omitempty"`
	// ExitDecision is the province's decision taking the area out of the list.
	ExitDecision *Document `json:"exit_decision,omitempty"`
	// CarriedFromID is the target area of an earlier campaign this one continues, if any.
	CarriedFromID *int64    `json:"carried_from_id,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// TargetEvent is one transition in a target area's history: who, when, what
// decision and why. The history is append-only.
type TargetEvent struct {
	ID           int64     `json:"id"`
	TargetAreaID int64     `json:"target_area_id"`
	Action       string    `json:"action"`
	FromStatus   string    `json:"from_status"`
	ToStatus     string    `json:"to_status"`
	ActorUserID  int64     `json:"actor_user_id"`
	ActorUnitID  int64     `json:"actor_unit_id"`
	ActorRole    string    `json:"actor_role"`
	At           time.Time `json:"at"`
	Decision     *Document `json:"decision,omitempty"`
	Comment      string    `json:"comment,omitempty"`
}

// TargetActionInput is what a user sends with a target-area action.
type TargetActionInput struct {
	// Comment is the reason (propose, reject, not exited), the evidence
	// summary (propose exit) or a remark.
	Comment string `json:"comment"`
	// Decision is required to approve and to decide an exit.
	Decision *Document `json:"decision,omitempty"`
}

// Limits on free text, in runes.
const (
	maxShortText = 200
	maxTitleText = 500
	maxLongText  = 20000
)

// ValidateTargetAction checks the input an action needs, naming fields
// "comment", "decision.number", "decision.date": a reason to propose, reject
// or conclude "not exited", evidence to propose an exit, a decision (number
// and date) to approve or to decide an exit.
func ValidateTargetAction(action string, in TargetActionInput) error {
	fe := FieldErrors{}
	switch action {
	case TargetActPropose:
		requireText(fe, "comment", in.Comment, "Lý do đề xuất", maxLongText)
	case TargetActReject:
		requireText(fe, "comment", in.Comment, "Lý do không phê duyệt", maxLongText)
	case TargetActProposeExit:
		requireText(fe, "comment", in.Comment, "Kết quả, căn cứ đề xuất đưa ra khỏi diện trọng điểm", maxLongText)
	case TargetActDecideNotExited:
		requireText(fe, "comment", in.Comment, "Lý do chưa chuyển hóa thành công", maxLongText)
	case TargetActApprove, TargetActDecideExit:
		optionalText(fe, "comment", in.Comment, "Ghi chú", maxLongText)
		if in.Decision == nil || in.Decision.IsZero() {
			fe.Add("decision.number", "Phải ghi số quyết định")
			fe.Add("decision.date", "Phải ghi ngày quyết định")
		} else {
			validateDocument(fe, "decision.", *in.Decision, true)
		}
	case TargetActStart, TargetActCarryOver, TargetActCarryIn, TargetActWatchRelapse:
		optionalText(fe, "comment", in.Comment, "Ghi chú", maxLongText)
	default:
		fe.Add("action", fmt.Sprintf("Thao tác “%s” không hợp lệ", truncate(action, 40)))
	}
	if action != TargetActApprove && action != TargetActDecideExit && in.Decision != nil && !in.Decision.IsZero() {
		validateDocument(fe, "decision.", *in.Decision, false)
	}
	return fe.Err()
}

// ValidateTargetArea checks a target area's own fields for campaign year:
// unit_id, reason, and a deadline within the campaign year.
func ValidateTargetArea(ta TargetArea, year int) error {
	fe := FieldErrors{}
	if ta.UnitID <= 0 {
		fe.AddMsg("unit_id", MsgNotChosen("đơn vị làm địa bàn trọng điểm"))
	}
	optionalText(fe, "reason", ta.Reason, "Lý do đề xuất", maxLongText)
	if checkDate(fe, "deadline", ta.Deadline, "Thời hạn chuyển hóa") && ta.Deadline.Year != year {
		fe.AddMsg("deadline", MsgDueYear("Thời hạn chuyển hóa", ta.Deadline, year))
	}
	return fe.Err()
}

// EndOfMonth returns the last day of the month, the deadline "xong trong tháng m/y" means.
func EndOfMonth(year int, month time.Month) Date {
	return Date{year, month, daysIn(year, month)}
}

// ExitReadiness returns nil when ev qualifies the target area for exit (every
// criterion counts as met), otherwise an ECONFLICT error naming the criteria
// not yet met; the evaluation should be of the campaign's exit period.
func ExitReadiness(ev Evaluation) error {
	var missing []string
	for _, c := range ev.Criteria {
		if !c.CountsAsMet {
			missing = append(missing, fmt.Sprintf("%d (%s)", c.Number, lowerFirst(c.Name)))
		}
	}
	if len(missing) == 0 && ev.AllMet {
		return nil
	}
	if len(missing) == 0 {
		return Errorf(ECONFLICT, "Chưa đủ điều kiện đề xuất đưa ra khỏi diện trọng điểm")
	}
	e := Errorf(ECONFLICT, "Chưa đủ điều kiện đề xuất đưa ra khỏi diện trọng điểm: tiêu chí %s chưa đạt", strings.Join(missing, "; "))
	e.Detail = ev
	return e
}
