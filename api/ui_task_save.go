package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
)

// taskSave changes a task: every field the form sent (the whole task while
// the plan is a draft or returned, only its status afterwards); the
// service refuses what the plan's status does not allow.
func (s *Server) taskSave(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := c.FormParams(); err != nil {
		return err
	}
	typed, in, errs := s.taskForm(c)
	sent := func(k string) bool { _, ok := c.Request().PostForm[k]; return ok }
	upd := campaigns.TaskUpdate{Version: formVersion(c)}
	if sent("section") {
		upd.Section = &in.Section
	}
	if sent("title") {
		upd.Title = &in.Title
	}
	if sent("description") {
		upd.Description = &in.Description
	}
	if sent("responsible") {
		upd.Responsible = &in.Responsible
	}
	if sent("frequency") {
		upd.Frequency = &in.Frequency
	}
	if sent("due") {
		upd.Due = &in.Due
	}
	if in.Status != "" {
		upd.Status = &in.Status
	}
	refused := func(summary string, fields domain.FieldErrors) error {
		for k, v := range s.fieldMessages(c, fields, s.taskLabels(c)) {
			if errs[k] == "" {
				errs[k] = v
			}
		}
		return s.renderTask(c, http.StatusBadRequest, taskForms{summary: summary, task: typed, taskErrs: errs})
	}
	if len(errs) > 0 {
		return refused(s.t(c, "form.invalid"), nil)
	}
	if _, err := s.updateTaskCmd(c.Request().Context(), id, upd); err != nil {
		fields, summary, ferr := s.formMsgs(c, err)
		if ferr != nil {
			return ferr
		}
		return refused(summary, fields)
	}
	s.flash(c, "ok", s.t(c, "task.saved"))
	return redirect(c, "/tasks/"+itoa(id))
}
