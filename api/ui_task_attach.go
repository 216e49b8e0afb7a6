package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
)

// taskAttach uploads a file as evidence of a task: at most 20 MB, a type
// the evidence rules accept (judged by content), by the plan's author unit.
func (s *Server) taskAttach(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	refused := func(err error) error {
		fields, summary, ferr := s.formMsgs(c, err)
		if ferr != nil {
			return ferr
		}
		return s.renderTask(c, http.StatusBadRequest, taskForms{summary: summary, fileError: s.fieldMessage(c, s.t(c, "task.evidence.file"), fields["file"])})
	}
	up, err := s.formUpload(c)
	if err != nil {
		return refused(err)
	}
	if up == nil {
		return refused(domain.Invalid(s.t(c, "form.invalid"), map[string]string{"file": s.t(c, "file.missing")}))
	}
	defer up.Close()
	a, err := s.attachCmd(c.Request().Context(), up, campaigns.OwnerTask, id)
	if err != nil {
		return refused(err)
	}
	s.flash(c, "ok", s.t(c, "task.evidence.added", "name", a.Name))
	return redirect(c, "/tasks/"+itoa(id)+"#h-evidence")
}
