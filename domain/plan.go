package domain

import (
	"fmt"
	"slices"
	"time"
)

// Plan sections: the seed's "2. Nội dung, biện pháp" in three parts, plus
// "III. Tổ chức thực hiện" (who does what, reports and deadlines).
const (
	SectionLeadership   = "2.1"
	SectionPrevention   = "2.2"
	SectionSuppression  = "2.3"
	SectionOrganisation = "org"
)

// PlanSection is one section of a plan's tasks.
type PlanSection struct {
	Code string `json:"code"`
	// Name is the short Vietnamese name used in lists and tabs.
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	// Heading is the heading as the seed plan prints it.
	Heading string `json:"heading"`
}

// PlanSections returns the task sections in the seed's order.
func PlanSections() []PlanSection {
	return []PlanSection{
		{SectionLeadership, "Lãnh đạo, chỉ đạo", "Leadership and direction", "Công tác lãnh đạo, chỉ đạo"},
		{SectionPrevention, "Phòng ngừa tội phạm", "Crime prevention", "Công tác phòng ngừa tội phạm"},
		{SectionSuppression, "Đấu tranh, trấn áp tội phạm", "Fighting and suppressing crime", "Tổ chức đấu tranh, trấn áp, xử lý các loại tội phạm"},
		{SectionOrganisation, "Tổ chức thực hiện", "Organisation of implementation", "Tổ chức thực hiện"},
	}
}

// PlanSectionName returns the Vietnamese name of a section code, "" when unknown.
func PlanSectionName(code string) string {
	for _, s := range PlanSections() {
		if s.Code == code {
			return s.Name
		}
	}
	return ""
}

// Objective kinds: the seed's heading "Mục tiêu, yêu cầu".
const (
	ObjectiveGoal        = "muc_tieu"
	ObjectiveRequirement = "yeu_cau"
)

// ObjectiveKindLabel returns "Mục tiêu" or "Yêu cầu".
func ObjectiveKindLabel(kind string) string {
	switch kind {
	case ObjectiveGoal:
		return "Mục tiêu"
	case ObjectiveRequirement:
		return "Yêu cầu"
	}
	return kind
}

// Objective is one goal or requirement of a plan.
type Objective struct {
	ID       int64  `json:"id"`
	PlanID   int64  `json:"plan_id"`
	Position int    `json:"position"`
	Kind     string `json:"kind"`
	Text     string `json:"text"`
}

// Task statuses. TaskOverdue is never stored: TaskStatusAt derives it.
const (
	TaskNotStarted = "not_started"
	TaskInProgress = "in_progress"
	TaskDone       = "done"
	TaskOverdue    = "overdue"
)

// TaskStatusLabel returns the Vietnamese label of a task status.
func TaskStatusLabel(status string) string {
	switch status {
	case TaskNotStarted:
		return "Chưa thực hiện"
	case TaskInProgress:
		return "Đang thực hiện"
	case TaskDone:
		return "Đã hoàn thành"
	case TaskOverdue:
		return "Quá hạn"
	}
	return status
}

// Task is one measure of a plan (nội dung, biện pháp).
type Task struct {
	ID       int64  `json:"id"`
	PlanID   int64  `json:"plan_id"`
	Position int    `json:"position"`
	Section  string `json:"section"`
	Title    string `json:"title"`
	// Description is the full text of the measure.
	Description string `json:"description"`
	// Responsible names the responsible units or forces as the plan writes
	// them ("Công an thị xã", "Ban Chỉ đạo phường Nếnh").
	Responsible          string  `json:"responsible,omitempty"`
	ResponsibleUnitIDs   []int64 `json:"responsible_unit_ids"`
	ResponsibleMemberIDs []int64 `json:"responsible_member_ids"`
	// Frequency is how often the task recurs, e.g. "hằng tháng", "định kỳ 6 tháng".
	Frequency string `json:"frequency,omitempty"`
	// Due is the last day on which the task is on time: the seed's "trước
	// 13/3" is Due 12/03, and the task is overdue from 13/03 on.
	Due           Date           `json:"due"`
	Status        string         `json:"status"`
	ProgressNotes []ProgressNote `json:"progress_notes,omitempty"`
}

// ProgressNote records progress on a task, with evidence attachments.
type ProgressNote struct {
	ID            int64     `json:"id"`
	TaskID        int64     `json:"task_id"`
	AuthorUserID  int64     `json:"author_user_id"`
	At            time.Time `json:"at"`
	Text          string    `json:"text"`
	AttachmentIDs []int64   `json:"attachment_ids,omitempty"`
}

// TaskStatusAt returns the task's status as of today: "overdue" when it has
// a due date before today and is not done, otherwise its stored status
// (not_started when empty).
func TaskStatusAt(t Task, today Date) string {
	if t.Status == TaskDone {
		return TaskDone
	}
	if !t.Due.IsZero() && t.Due.Before(today) {
		return TaskOverdue
	}
	if t.Status == "" {
		return TaskNotStarted
	}
	return t.Status
}

// Plan statuses.
const (
	PlanDraft     = "draft"
	PlanSubmitted = "submitted"
	PlanReturned  = "returned"
	PlanApproved  = "approved"
)

// Plan actions.
const (
	PlanActSubmit  = "submit"
	PlanActReturn  = "return"
	PlanActApprove = "approve"
)

// Plan actors: a plan is written by its author unit and reviewed by the unit
// above it (a ward's plan by its district, a district's by the province).
// The caller decides which one the user is from the user's unit and scope.
const (
	PlanActorAuthor   = "author"
	PlanActorReviewer = "reviewer"
)

var planWorkflow = &workflow{
	object: ObjectPlan,
	noun:   "kế hoạch",
	table: []transition{
		{PlanDraft, PlanActSubmit, PlanSubmitted, []string{PlanActorAuthor}},
		{PlanReturned, PlanActSubmit, PlanSubmitted, []string{PlanActorAuthor}},
		{PlanSubmitted, PlanActReturn, PlanReturned, []string{PlanActorReviewer}},
		{PlanSubmitted, PlanActApprove, PlanApproved, []string{PlanActorReviewer}},
	},
	states: map[string]string{
		PlanDraft:     "Bản nháp",
		PlanSubmitted: "Đã gửi, chờ duyệt",
		PlanReturned:  "Bị trả lại",
		PlanApproved:  "Đã duyệt",
	},
	actions: map[string]string{
		PlanActSubmit:  "Gửi duyệt",
		PlanActReturn:  "Trả lại",
		PlanActApprove: "Duyệt",
	},
}

// PlanStatuses returns every plan status in workflow order.
func PlanStatuses() []string {
	return []string{PlanDraft, PlanSubmitted, PlanReturned, PlanApproved}
}

// PlanStatusLabel returns the Vietnamese label of a plan status.
func PlanStatusLabel(status string) string { return planWorkflow.stateLabel(status) }

// PlanActionLabel returns the Vietnamese label of a plan action.
func PlanActionLabel(action string) string { return planWorkflow.actions[action] }

// PlanTransition returns the status a plan in status from reaches by action,
// and false when the action does not apply in that status.
func PlanTransition(from, action string) (to string, ok bool) {
	return planWorkflow.next(from, action)
}

// PlanActionActors returns who performs action: PlanActorAuthor or PlanActorReviewer.
func PlanActionActors(action string) []string { return planWorkflow.actorsOf(action) }

// PlanAvailableActions lists the actions actor may take on a plan in status.
func PlanAvailableActions(status, actor string) []string {
	return planWorkflow.available(status, []string{actor})
}

// CheckPlanTransition returns the status after actor performs action, or an
// error naming why not: EINVALID (unknown action), EFORBIDDEN (the author
// reviewing, the reviewer submitting) or ECONFLICT (wrong status), the last
// two as *TransitionError.
func CheckPlanTransition(from, action, actor string) (string, error) {
	return planWorkflow.check(from, action, []string{actor})
}

// PlanEditable reports whether the author may edit a plan in status: only a draft or a returned plan.
func PlanEditable(status string) bool { return status == PlanDraft || status == PlanReturned }

// PlanIsLate reports whether a plan submitted at submittedAt is late for
// due, that is submitted on or after due in Vietnam, as reports are; a zero
// due date is never late.
func PlanIsLate(submittedAt time.Time, due Date) bool {
	return IsLate(submittedAt, Period{Due: due})
}

// ValidatePlanAction checks the input of a plan action: returning a plan needs the reviewer's comment.
func ValidatePlanAction(action, comment string) error {
	fe := FieldErrors{}
	if action == PlanActReturn {
		requireText(fe, "comment", comment, "Ý kiến của đơn vị duyệt khi trả lại kế hoạch", maxLongText)
	} else {
		optionalText(fe, "comment", comment, "Ý kiến", maxLongText)
	}
	return fe.Err()
}

// Plan is a plan (kế hoạch) of one target area written by one unit: the
// district writes one (the seed is such a plan) and the ward its own.
type Plan struct {
	ID           int64 `json:"id"`
	CampaignID   int64 `json:"campaign_id"`
	TargetAreaID int64 `json:"target_area_id"`
	// UnitID is the author unit; only it edits the plan.
	UnitID int64 `json:"unit_id"`
	// Number is the document number as printed, e.g. "/KH-BCĐ".
	Number   string `json:"number,omitempty"`
	Title    string `json:"title"`
	IssuedOn Date   `json:"issued_on"`
	// Preamble is the opening paragraph citing what the plan implements.
	Preamble string `json:"preamble,omitempty"`
	// Signer is who signs the plan, e.g. "Trưởng ban Ban Chỉ đạo thị xã".
	Signer string `json:"signer,omitempty"`
	Status string `json:"status"`
	// Due is the first day on which submitting the plan is late (ward plans).
	Due           Date       `json:"due"`
	SubmittedAt   *time.Time `json:"submitted_at,omitempty"`
	ReviewedAt    *time.Time `json:"reviewed_at,omitempty"`
	ReviewComment string     `json:"review_comment,omitempty"`
	// CopiedFromID is the plan this one was started from, if any.
	CopiedFromID *int64       `json:"copied_from_id,omitempty"`
	Objectives   []Objective  `json:"objectives"`
	Tasks        []Task       `json:"tasks"`
	Budget       []BudgetLine `json:"budget"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

// Late reports whether the plan was (or, unsubmitted, would now be) submitted late.
func (p Plan) Late(now time.Time) bool {
	if p.SubmittedAt != nil {
		return PlanIsLate(*p.SubmittedAt, p.Due)
	}
	return PlanIsLate(now, p.Due)
}

// TasksBySection returns the tasks of section in plan order.
func (p Plan) TasksBySection(section string) []Task {
	var out []Task
	for _, t := range p.Tasks {
		if t.Section == section {
			out = append(out, t)
		}
	}
	return out
}

var taskStatuses = map[string]bool{TaskNotStarted: true, TaskInProgress: true, TaskDone: true}

// ValidateObjective checks one objective, naming "kind" and "text".
func ValidateObjective(o Objective) error {
	fe := FieldErrors{}
	validateObjective(fe, "", o)
	return fe.Err()
}

func validateObjective(fe FieldErrors, prefix string, o Objective) {
	if o.Kind != ObjectiveGoal && o.Kind != ObjectiveRequirement {
		fe.Add(prefix+"kind", "Loại phải là mục tiêu (muc_tieu) hoặc yêu cầu (yeu_cau)")
	}
	requireText(fe, prefix+"text", o.Text, "Nội dung mục tiêu, yêu cầu", maxLongText)
}

// ValidateTask checks one task of a plan of campaign year, naming "section",
// "title", "due" (must fall in the campaign year), "status"…; overdue is
// derived and cannot be stored.
func ValidateTask(t Task, year int) error {
	fe := FieldErrors{}
	validateTask(fe, "", t, year)
	return fe.Err()
}

func validateTask(fe FieldErrors, prefix string, t Task, year int) {
	if PlanSectionName(t.Section) == "" {
		fe.AddMsg(prefix+"section", MsgChoice("Mục phải là 2.1, 2.2, 2.3 hoặc org (tổ chức thực hiện)"))
	}
	requireText(fe, prefix+"title", t.Title, "Tên nhiệm vụ", maxTitleText)
	optionalText(fe, prefix+"description", t.Description, "Nội dung nhiệm vụ", maxLongText)
	optionalText(fe, prefix+"responsible", t.Responsible, "Đơn vị, lực lượng chủ trì", maxTitleText)
	optionalText(fe, prefix+"frequency", t.Frequency, "Tần suất", maxShortText)
	if !t.Due.IsZero() {
		if !t.Due.Valid() {
			fe.AddMsg(prefix+"due", MsgBadDate("Thời hạn"))
		} else if t.Due.Year != year {
			fe.AddMsg(prefix+"due", MsgDueYear("Thời hạn", t.Due, year))
		}
	}
	if t.Status != "" && !taskStatuses[t.Status] {
		fe.AddMsg(prefix+"status", MsgChoice("Trạng thái phải là not_started, in_progress hoặc done (quá hạn được tính từ thời hạn)"))
	}
	for i, id := range t.ResponsibleUnitIDs {
		if id <= 0 {
			fe.Add(fmt.Sprintf("%sresponsible_unit_ids[%d]", prefix, i), "Đơn vị không hợp lệ")
		} else if slices.Index(t.ResponsibleUnitIDs, id) != i {
			fe.Add(fmt.Sprintf("%sresponsible_unit_ids[%d]", prefix, i), "Đơn vị bị lặp")
		}
	}
	for i, id := range t.ResponsibleMemberIDs {
		if id <= 0 {
			fe.Add(fmt.Sprintf("%sresponsible_member_ids[%d]", prefix, i), "Thành viên không hợp lệ")
		} else if slices.Index(t.ResponsibleMemberIDs, id) != i {
			fe.Add(fmt.Sprintf("%sresponsible_member_ids[%d]", prefix, i), "Thành viên bị lặp")
		}
	}
}

// ValidatePlan checks a plan of a campaign of year, naming fields "title",
// "objectives[0].text", "tasks[3].title", "tasks[3].due", "budget[1].amount"….
func ValidatePlan(p Plan, year int) error {
	fe := FieldErrors{}
	requireText(fe, "title", p.Title, "Tên kế hoạch", maxTitleText)
	optionalText(fe, "number", p.Number, "Số kế hoạch", maxShortText)
	optionalText(fe, "preamble", p.Preamble, "Phần căn cứ", maxLongText)
	optionalText(fe, "signer", p.Signer, "Người ký", maxTitleText)
	if !p.IssuedOn.IsZero() && !p.IssuedOn.Valid() {
		fe.AddMsg("issued_on", MsgBadDate("Ngày ban hành"))
	}
	if !p.Due.IsZero() && !p.Due.Valid() {
		fe.AddMsg("due", MsgBadDate("Hạn gửi kế hoạch"))
	}
	for i, o := range p.Objectives {
		validateObjective(fe, fmt.Sprintf("objectives[%d].", i), o)
	}
	for i, t := range p.Tasks {
		validateTask(fe, fmt.Sprintf("tasks[%d].", i), t, year)
	}
	for i, b := range p.Budget {
		validateBudgetLine(fe, fmt.Sprintf("budget[%d].", i), b)
	}
	if _, ok := BudgetTotal(p.Budget); !ok && !slices.ContainsFunc(p.Budget, func(b BudgetLine) bool { return b.Amount < 0 }) {
		fe.Add("budget", "Tổng dự trù kinh phí vượt quá giới hạn")
	}
	return fe.Err()
}

// ValidatePlanRefs checks that every unit and committee member a task names
// exists (and is within reach of the plan), with lookups the caller supplies;
// it names fields "tasks[3].responsible_unit_ids[0]".
func ValidatePlanRefs(p Plan, unitOK, memberOK func(id int64) bool) error {
	fe := FieldErrors{}
	for i, t := range p.Tasks {
		for j, id := range t.ResponsibleUnitIDs {
			if unitOK != nil && !unitOK(id) {
				fe.Add(fmt.Sprintf("tasks[%d].responsible_unit_ids[%d]", i, j), fmt.Sprintf("Đơn vị %d không tồn tại", id))
			}
		}
		for j, id := range t.ResponsibleMemberIDs {
			if memberOK != nil && !memberOK(id) {
				fe.Add(fmt.Sprintf("tasks[%d].responsible_member_ids[%d]", i, j), fmt.Sprintf("Thành viên %d không có trong Ban Chỉ đạo", id))
			}
		}
	}
	return fe.Err()
}

// CopyPlan starts a new draft plan of unitID from src (a ward starting from
// its district's plan): objectives, tasks and budget lines are copied with
// their text, responsible units, frequencies and due dates, while IDs,
// statuses, progress notes, submission and review are reset. Responsible
// committee members are dropped: they belong to the source unit's committee,
// and the new author assigns its own. Due is the new plan's submission deadline.
func CopyPlan(src Plan, unitID int64, due Date) Plan {
	p := Plan{
		CampaignID:   src.CampaignID,
		TargetAreaID: src.TargetAreaID,
		UnitID:       unitID,
		Title:        src.Title,
		Preamble:     src.Preamble,
		Status:       PlanDraft,
		Due:          due,
		Objectives:   make([]Objective, len(src.Objectives)),
		Tasks:        make([]Task, len(src.Tasks)),
		Budget:       make([]BudgetLine, len(src.Budget)),
	}
	if src.ID != 0 {
		id := src.ID
		p.CopiedFromID = &id
	}
	for i, o := range src.Objectives {
		p.Objectives[i] = Objective{Position: o.Position, Kind: o.Kind, Text: o.Text}
	}
	for i, t := range src.Tasks {
		p.Tasks[i] = Task{
			Position: t.Position, Section: t.Section, Title: t.Title, Description: t.Description,
			Responsible:        t.Responsible,
			ResponsibleUnitIDs: slices.Clone(t.ResponsibleUnitIDs),
			Frequency:          t.Frequency, Due: t.Due, Status: TaskNotStarted,
		}
	}
	for i, b := range src.Budget {
		p.Budget[i] = BudgetLine{Position: b.Position, Item: b.Item, Amount: b.Amount, FundingSource: b.FundingSource}
	}
	return p
}
