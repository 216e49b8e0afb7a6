package api

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
)

// planView is the plan page: the plan as its author wrote it, its tasks by
// section with their status as of today, progress and evidence, and the
// forms the caller may use now — the author's edits and submission while
// the plan is a draft or returned, the reviewer's return and approval
// while it is submitted.
type planView struct {
	web.Page
	Plan      *campaigns.Plan
	TA        *campaigns.TargetArea
	Status    badge
	Timely    badge
	Editable  bool
	CanSubmit bool
	CanReview bool
	Returned  bool
	// Error is the message of a refused form, above the page.
	Error          string
	Objectives     []objectiveLine
	ObjectiveRows  []objectiveRow
	Sections       []sectionView
	TaskCount      int
	TaskFields     []web.Field
	HeadingFields  []web.Field
	Budget         []budgetLineView
	BudgetTotal    int64
	ReturnField    web.Field
	ApproveField   web.Field
	Events         []planEventView
	CopiedFromHref string
}

type objectiveLine struct{ Kind, Text string }

// objectiveRow is one row of the objectives form.
type objectiveRow struct {
	N          int
	Kind, Text web.Field
}

type sectionView struct {
	Code, Heading string
	Tasks         []taskLine
}

// taskLine is one task in the plan's table.
type taskLine struct {
	ID          int64
	N           int
	Title       string
	Responsible string
	Frequency   string
	Due         domain.Date
	Status      badge
	Notes       []noteLine
	Files       []fileLink
}

type noteLine struct {
	At    time.Time
	Text  string
	Files []fileLink
}

// fileLink is one attachment, downloaded through /attachments/:id.
type fileLink struct {
	ID   int64
	Name string
	Size string
}

type budgetLineView struct {
	Item, Source string
	Amount       int64
}

type planEventView struct {
	At      time.Time
	Action  string
	Status  badge
	Comment string
	Late    bool
}

// planForms is what a refused form on the plan page sent back.
type planForms struct {
	summary    string
	heading    map[string]string
	headErrs   map[string]string
	objectives []campaigns.ObjectiveInput
	objErrs    map[int]map[string]string
	task       map[string]string
	taskErrs   map[string]string
	comment    string
	commentErr domain.Msg
}

func (s *Server) planBadge(c echo.Context, status string) badge {
	return badge{Kind: status, Label: s.t(c, "plan.status."+status)}
}

func (s *Server) taskBadge(c echo.Context, status string) badge {
	icon := ""
	if status == domain.TaskOverdue {
		icon = "!"
	}
	return badge{Kind: "task-" + status, Icon: icon, Label: s.t(c, "task.status."+status)}
}

// sectionHeading names a plan section in the user's language: "2.1. Lãnh đạo, chỉ đạo".
func (s *Server) sectionHeading(c echo.Context, sec domain.PlanSection) string {
	name := sec.Name
	if s.lang(c) == web.LangEN {
		name = sec.NameEN
	}
	if sec.Code == domain.SectionOrganisation {
		return name
	}
	return sec.Code + ". " + name
}

// sectionOptions lists the sections for a select, with selected chosen.
func (s *Server) sectionOptions(c echo.Context, selected string) []web.Option {
	var out []web.Option
	for _, sec := range domain.PlanSections() {
		out = append(out, web.Option{Value: sec.Code, Label: s.sectionHeading(c, sec), Selected: sec.Code == selected})
	}
	return out
}

func (s *Server) fileLinks(c echo.Context, list []*campaigns.Attachment) []fileLink {
	out := make([]fileLink, 0, len(list))
	for _, a := range list {
		out = append(out, fileLink{ID: a.ID, Name: a.Name, Size: s.fileSize(c, a.Size)})
	}
	return out
}

// fileSize writes a size in KB or MB.
func (s *Server) fileSize(c echo.Context, n int64) string {
	if n >= 1<<20 {
		return web.FormatInt(s.lang(c), (n+(1<<19))>>20) + " MB"
	}
	return web.FormatInt(s.lang(c), max(1, (n+512)>>10)) + " KB"
}

// planShow shows a plan the caller can read: its own unit's, one of its
// subtree's, or the plan of a unit above about a target area in its scope
// (a ward reads its district's plan to copy from it).
func (s *Server) planShow(c echo.Context) error {
	return s.renderPlan(c, http.StatusOK, planForms{})
}

func (s *Server) renderPlan(c echo.Context, status int, in planForms) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, actor, err := caller(ctx)
	if err != nil {
		return err
	}
	can := func(p string) bool { return s.opts.Enforcer.Can(u.ID, u.HomeUnitID(), p) }
	p, err := campaigns.FindPlanByID(ctx, s.opts.DB, id, s.now())
	if err != nil {
		return err
	}
	p.Decorate(actor)
	ta, err := campaigns.FindTargetAreaByID(ctx, s.opts.DB, p.TargetAreaID)
	if err != nil {
		return err
	}
	v := planView{Page: s.page(c), Plan: p, TA: ta, Status: s.planBadge(c, p.Status), Error: in.summary,
		Returned: p.Status == domain.PlanReturned && p.ReviewComment != ""}
	v.Editable = p.Editable && can("plan:write")
	v.CanSubmit = slices.Contains(p.Actions, domain.PlanActSubmit) && can("plan:submit")
	v.CanReview = slices.Contains(p.Actions, domain.PlanActApprove) && can("plan:review")
	switch {
	case p.Due.IsZero():
	case p.SubmittedAt != nil && p.Late:
		v.Timely = s.timelinessBadge(c, domain.TimelinessLate)
	case p.SubmittedAt != nil:
		v.Timely = s.timelinessBadge(c, domain.TimelinessOnTime)
	case p.Late:
		v.Timely = s.timelinessBadge(c, domain.TimelinessMissing)
	}
	if p.CopiedFromID != nil {
		v.CopiedFromHref = "/plans/" + itoa(*p.CopiedFromID)
	}
	for _, o := range p.Objectives {
		v.Objectives = append(v.Objectives, objectiveLine{Kind: s.t(c, "plan.objective.kind."+o.Kind), Text: o.Text})
	}
	if err := s.planTasks(c, &v); err != nil {
		return err
	}
	for _, b := range p.Budget {
		v.Budget = append(v.Budget, budgetLineView{Item: b.Item, Source: b.FundingSource, Amount: b.Amount})
	}
	v.BudgetTotal, _ = domain.BudgetTotal(p.Budget)
	if v.Editable {
		s.planEditForms(c, &v, in)
	}
	if v.CanReview {
		v.ReturnField = web.Field{Name: "comment", ID: "return-comment", Label: s.t(c, "plan.return.comment"), Hint: s.t(c, "plan.return.hint"),
			Type: "textarea", Value: in.comment, Error: s.fieldMessage(c, s.t(c, "plan.return.comment"), in.commentErr), Required: true}
		v.ApproveField = web.Field{Name: "comment", ID: "approve-comment", Label: s.t(c, "plan.approve.comment")}
	}
	events, err := campaigns.FindPlanEvents(ctx, s.opts.DB, p.ID)
	if err != nil {
		return err
	}
	for _, e := range events {
		v.Events = append(v.Events, planEventView{At: e.At, Action: s.t(c, "plan.action."+e.Action), Status: s.planBadge(c, e.ToStatus), Comment: e.Comment, Late: e.Late})
	}
	return s.render(c, status, "plan", v)
}

// planTasks fills the tasks by section with their notes and evidence.
func (s *Server) planTasks(c echo.Context, v *planView) error {
	ctx := c.Request().Context()
	var taskIDs, noteIDs []int64
	for _, t := range v.Plan.Tasks {
		taskIDs = append(taskIDs, t.ID)
		for _, n := range t.ProgressNotes {
			noteIDs = append(noteIDs, n.ID)
		}
	}
	byOwner := map[string]map[int64][]*campaigns.Attachment{}
	for ot, ids := range map[string][]int64{campaigns.OwnerTask: taskIDs, campaigns.OwnerProgressNote: noteIDs} {
		list, err := campaigns.FindAttachmentsOf(ctx, s.opts.DB, ot, ids)
		if err != nil {
			return err
		}
		byOwner[ot] = map[int64][]*campaigns.Attachment{}
		for _, a := range list {
			byOwner[ot][a.OwnerID] = append(byOwner[ot][a.OwnerID], a)
		}
	}
	n := 0
	for _, sec := range domain.PlanSections() {
		sv := sectionView{Code: sec.Code, Heading: s.sectionHeading(c, sec)}
		for _, t := range v.Plan.Tasks {
			if t.Section != sec.Code {
				continue
			}
			n++
			tl := taskLine{ID: t.ID, N: n, Title: t.Title, Responsible: t.Responsible, Frequency: t.Frequency, Due: t.Due,
				Status: s.taskBadge(c, t.Status), Files: s.fileLinks(c, byOwner[campaigns.OwnerTask][t.ID])}
			for _, note := range t.ProgressNotes {
				tl.Notes = append(tl.Notes, noteLine{At: note.At, Text: note.Text, Files: s.fileLinks(c, byOwner[campaigns.OwnerProgressNote][note.ID])})
			}
			sv.Tasks = append(sv.Tasks, tl)
		}
		v.Sections = append(v.Sections, sv)
	}
	v.TaskCount = n
	return nil
}

// planEditForms fills the author's forms: heading, objectives (the plan's
// and two empty rows), and a new task.
func (s *Server) planEditForms(c echo.Context, v *planView, in planForms) {
	p := v.Plan
	head := in.heading
	if head == nil {
		head = map[string]string{"number": p.Number, "title": p.Title, "signer": p.Signer}
	}
	v.HeadingFields = []web.Field{
		{Name: "title", ID: "plan-title", Label: s.t(c, "plan.field.title"), Value: head["title"], Error: in.headErrs["title"], Required: true},
		{Name: "number", ID: "plan-number", Label: s.t(c, "plan.field.number"), Hint: s.t(c, "plan.field.number.hint"), Value: head["number"], Error: in.headErrs["number"]},
		{Name: "signer", ID: "plan-signer", Label: s.t(c, "plan.field.signer"), Value: head["signer"], Error: in.headErrs["signer"]},
	}
	objs := in.objectives
	if objs == nil {
		for _, o := range p.Objectives {
			objs = append(objs, campaigns.ObjectiveInput{Kind: o.Kind, Text: o.Text})
		}
		objs = append(objs, campaigns.ObjectiveInput{Kind: domain.ObjectiveGoal}, campaigns.ObjectiveInput{Kind: domain.ObjectiveRequirement})
	}
	for i, o := range objs {
		n := strconv.Itoa(i + 1)
		errs := in.objErrs[i]
		v.ObjectiveRows = append(v.ObjectiveRows, objectiveRow{N: i + 1,
			Kind: web.Field{Name: "kind", ID: "obj-" + n + "-kind", Label: s.t(c, "plan.objective.kind"), Type: "select", Error: errs["kind"], Options: []web.Option{
				{Value: domain.ObjectiveGoal, Label: s.t(c, "plan.objective.kind.muc_tieu"), Selected: o.Kind == domain.ObjectiveGoal},
				{Value: domain.ObjectiveRequirement, Label: s.t(c, "plan.objective.kind.yeu_cau"), Selected: o.Kind == domain.ObjectiveRequirement},
			}},
			Text: web.Field{Name: "text", ID: "obj-" + n + "-text", Label: s.t(c, "plan.objective.text"), Type: "textarea", Value: o.Text, Error: errs["text"]},
		})
	}
	t := in.task
	if t == nil {
		t = map[string]string{"section": domain.SectionLeadership}
	}
	v.TaskFields = s.taskFields(c, "task-", t, in.taskErrs, false)
}

// taskFields are the fields of a task form, ids prefixed; statusToo adds the status select.
func (s *Server) taskFields(c echo.Context, prefix string, val, errs map[string]string, statusToo bool) []web.Field {
	out := []web.Field{
		{Name: "section", ID: prefix + "section", Label: s.t(c, "task.field.section"), Type: "select", Options: s.sectionOptions(c, val["section"]), Error: errs["section"], Required: true},
		{Name: "title", ID: prefix + "title", Label: s.t(c, "task.field.title"), Value: val["title"], Error: errs["title"], Required: true},
		{Name: "description", ID: prefix + "description", Label: s.t(c, "task.field.description"), Type: "textarea", Value: val["description"], Error: errs["description"]},
		{Name: "responsible", ID: prefix + "responsible", Label: s.t(c, "task.field.responsible"), Hint: s.t(c, "task.field.responsible.hint"), Value: val["responsible"], Error: errs["responsible"]},
		{Name: "frequency", ID: prefix + "frequency", Label: s.t(c, "task.field.frequency"), Hint: s.t(c, "task.field.frequency.hint"), Value: val["frequency"], Error: errs["frequency"]},
		{Name: "due", ID: prefix + "due", Label: s.t(c, "task.field.due"), Hint: s.t(c, "form.date.hint"), Value: val["due"], Error: errs["due"], Autocomplete: "off"},
	}
	if statusToo {
		out = append(out, s.taskStatusField(c, prefix, val["status"], errs["status"]))
	}
	return out
}

// taskStatusField is the select of a task's stored status; overdue is derived, never chosen.
func (s *Server) taskStatusField(c echo.Context, prefix, val, err string) web.Field {
	f := web.Field{Name: "status", ID: prefix + "status", Label: s.t(c, "task.field.status"), Hint: s.t(c, "task.field.status.hint"), Type: "select", Error: err}
	if val == "" {
		f.Options = append(f.Options, web.Option{Value: "", Label: s.t(c, "task.status.keep_overdue"), Selected: true})
	}
	for _, st := range []string{domain.TaskNotStarted, domain.TaskInProgress, domain.TaskDone} {
		f.Options = append(f.Options, web.Option{Value: st, Label: s.t(c, "task.status."+st), Selected: st == val})
	}
	return f
}

// taskLabels names a task's fields for English messages.
func (s *Server) taskLabels(c echo.Context) map[string]string {
	out := map[string]string{}
	for _, k := range []string{"section", "title", "description", "responsible", "frequency", "due", "status"} {
		out[k] = s.t(c, "task.field."+k)
	}
	return out
}
