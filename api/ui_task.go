package api

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
)

// taskView is the page of one task of a plan: what it is, its progress
// notes with their evidence, and the author unit's forms — the task's
// content while the plan is a draft or returned, its status at any time
// but under review, a progress note with an optional file, and evidence.
type taskView struct {
	web.Page
	Task   *campaigns.Task
	Plan   *campaigns.Plan
	TA     *campaigns.TargetArea
	Status badge
	// Section is the section's heading.
	Section string
	Notes   []noteLine
	Files   []fileLink
	Error   string
	// Fields is the whole task form (plan editable); StatusField alone otherwise.
	Fields      []web.Field
	StatusField *web.Field
	// NoteFields and FileField are the author's progress and evidence forms.
	NoteFields []web.Field
	FileField  *web.Field
	MaxSize    string
}

// taskForms is what a refused form on the task page sent back.
type taskForms struct {
	summary   string
	task      map[string]string
	taskErrs  map[string]string
	note      string
	noteErrs  map[string]string
	fileError string
}

// taskShow shows a task of a plan the caller can read.
func (s *Server) taskShow(c echo.Context) error {
	return s.renderTask(c, http.StatusOK, taskForms{})
}

func (s *Server) renderTask(c echo.Context, status int, in taskForms) error {
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
	t, p, err := campaigns.FindTaskByID(ctx, s.opts.DB, id, s.now())
	if err != nil {
		return err
	}
	p.Decorate(actor)
	ta, err := campaigns.FindTargetAreaByID(ctx, s.opts.DB, p.TargetAreaID)
	if err != nil {
		return err
	}
	v := taskView{Page: s.page(c), Task: t, Plan: p, TA: ta, Status: s.taskBadge(c, t.Status), Error: in.summary, MaxSize: "20 MB"}
	for _, sec := range domain.PlanSections() {
		if sec.Code == t.Section {
			v.Section = s.sectionHeading(c, sec)
		}
	}
	taskFiles, err := campaigns.FindAttachments(ctx, s.opts.DB, campaigns.OwnerTask, t.ID)
	if err != nil {
		return err
	}
	v.Files = s.fileLinks(c, taskFiles)
	var noteIDs []int64
	for _, n := range t.ProgressNotes {
		noteIDs = append(noteIDs, n.ID)
	}
	noteFiles, err := campaigns.FindAttachmentsOf(ctx, s.opts.DB, campaigns.OwnerProgressNote, noteIDs)
	if err != nil {
		return err
	}
	for _, n := range t.ProgressNotes {
		v.Notes = append(v.Notes, noteLine{At: n.At, Text: n.Text, Files: s.fileLinks(c, slices.DeleteFunc(slices.Clone(noteFiles), func(a *campaigns.Attachment) bool { return a.OwnerID != n.ID }))})
	}
	author := campaigns.PlanActorOf(p, actor) == domain.PlanActorAuthor && can("plan:write")
	if author {
		val := in.task
		if val == nil {
			val = map[string]string{"section": t.Section, "title": t.Title, "description": t.Description, "responsible": t.Responsible,
				"frequency": t.Frequency, "status": storedStatus(t)}
			if !t.Due.IsZero() {
				val["due"] = t.Due.FormatVN()
			}
		}
		switch {
		case domain.PlanEditable(p.Status):
			v.Fields = s.taskFields(c, "", val, in.taskErrs, true)
		case p.Status != domain.PlanSubmitted:
			f := s.taskStatusField(c, "", val["status"], in.taskErrs["status"])
			v.StatusField = &f
		}
		v.NoteFields = []web.Field{
			{Name: "text", ID: "note-text", Label: s.t(c, "task.note.text"), Type: "textarea", Value: in.note, Error: in.noteErrs["text"], Required: true},
		}
		if can("attachment:write") {
			v.NoteFields = append(v.NoteFields, web.Field{Name: "file", ID: "note-file", Label: s.t(c, "task.note.file"), Hint: s.t(c, "file.hint"), Type: "file", Error: in.noteErrs["file"]})
			v.FileField = &web.Field{Name: "file", ID: "evidence-file", Label: s.t(c, "task.evidence.file"), Hint: s.t(c, "file.hint"), Type: "file", Error: in.fileError, Required: true}
		}
	}
	return s.render(c, status, "task", v)
}

// storedStatus is the status the form preselects: "" for an overdue task,
// whose stored status the derived one hides, so that saving the form
// without choosing keeps it.
func storedStatus(t *campaigns.Task) string {
	if t.Status == domain.TaskOverdue {
		return ""
	}
	return t.Status
}
