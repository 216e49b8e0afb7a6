package api_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/files"
	"chuyenhoa/store/storetest"
)

// postFile posts a multipart form to path with the CSRF token of the page
// at from and, when name is not empty, content as its file.
func (b *browser) postFile(from, path string, fields url.Values, name string, content []byte) webPage {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", b.csrf(b.get(from)))
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			b.t.Fatal(err)
		}
		fw.Write(content)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.f.ts.URL+path, &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return webPage{Status: res.StatusCode, Location: res.Header.Get("Location"), Body: string(raw), Header: res.Header}
}

// mustRedirect fails unless p is a 303 and returns where to.
func mustRedirect(t testing.TB, p webPage) string {
	t.Helper()
	if p.Status != http.StatusSeeOther {
		t.Fatalf("status %d, want 303\n%s", p.Status, p.Body)
	}
	return p.Location
}

// idAfter returns the number that follows prefix in s.
func idAfter(t testing.TB, s, prefix string) int64 {
	t.Helper()
	i := strings.Index(s, prefix)
	if i < 0 {
		t.Fatalf("no %q in %q", prefix, s)
	}
	rest := s[i+len(prefix):]
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	n, err := strconv.ParseInt(rest[:j], 10, 64)
	if err != nil {
		t.Fatalf("no id after %q in %q", prefix, s)
	}
	return n
}

// mustDistrictPlan stores the district's plan for the ward's target area,
// as the district would, with one task per section.
func (f *uiFixture) mustDistrictPlan(t testing.TB, ta *campaigns.TargetArea) *campaigns.Plan {
	t.Helper()
	in := campaigns.NewPlan{TargetAreaID: ta.ID, Number: "25/KH-BCĐ", Title: "Kế hoạch chuyển hóa địa bàn " + ta.UnitName,
		Objectives: []campaigns.ObjectiveInput{{Kind: domain.ObjectiveGoal, Text: "Kiềm chế, làm giảm tội phạm và tệ nạn xã hội"}},
		Tasks: []campaigns.TaskInput{
			{Section: domain.SectionLeadership, Title: "Kiện toàn Ban Chỉ đạo phường", Responsible: "UBND phường", Due: domain.Date{Year: 2024, Month: time.March, Day: 1}},
			{Section: domain.SectionPrevention, Title: "Tuyên truyền phòng, chống tội phạm", Frequency: "hằng tháng"},
			{Section: domain.SectionSuppression, Title: "Tấn công trấn áp tội phạm ma túy", Responsible: "Công an thị xã"},
		},
		Budget: []campaigns.BudgetLineInput{{Item: "Tuyên truyền", Amount: 15000000, FundingSource: "Ngân sách thị xã"}}}
	p, err := campaigns.CreatePlan(f.ctxOf(t, "huyen"), f.db, in, f.actor(t, "huyen"), f.now)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWebPlanWorkflow(t *testing.T) {
	t.Parallel() // its own database and server, no Redis, no clock bounds
	storetest.ForEachDB(t, func(t *testing.T, db *bunDB) {
		f := mustUIFixture(t, db)
		f.now = time.Date(2024, time.March, 4, 2, 0, 0, 0, time.UTC)
		camp := f.mustCampaign(t, "nenh", "quangchau")
		nenh := camp.areas["nenh"]
		district := f.mustDistrictPlan(t, nenh)
		taPath := "/target-areas/" + itoa(nenh.ID)

		ward := f.browser(t)
		ward.login("nenh")
		var planPath string
		t.Run("the ward's home shows the plan's deadline", func(t *testing.T) {
			mustContain(t, ward.get("/"), "Kế hoạch chuyển hóa của đơn vị", "12/03/2024", "còn 8 ngày")
		})
		t.Run("the target area lists the district's plan to copy", func(t *testing.T) {
			p := ward.get(taPath)
			mustContain(t, p, "Thị xã Việt Yên", "Kế hoạch chuyển hóa địa bàn Phường Nếnh", "Sao chép từ kế hoạch của Thị xã Việt Yên",
				`action="/plans/`+itoa(district.ID)+`/copy"`, `<label for="new-plan-title">Tên kế hoạch`)
		})
		t.Run("the ward copies it into its draft", func(t *testing.T) {
			planPath = mustRedirect(t, ward.submit(taPath, "/plans/"+itoa(district.ID)+"/copy", nil))
			p := ward.get(planPath)
			mustContain(t, p, "Đã sao chép thành bản nháp", "Bản nháp", "Phường Nếnh", "12/03/2024",
				"2.1. Lãnh đạo, chỉ đạo", "2.2. Phòng ngừa tội phạm", "2.3. Đấu tranh, trấn áp tội phạm", "Tổ chức thực hiện",
				"Kiện toàn Ban Chỉ đạo phường", "hằng tháng", "Quá hạn", "Kiềm chế, làm giảm tội phạm", "15.000.000")
			if strings.Contains(ward.get(taPath).Body, "Sao chép từ") {
				t.Error("the target area still offers to start a plan")
			}
		})
		planID := idAfter(t, planPath, "/plans/")
		t.Run("an empty task title is named next to the field", func(t *testing.T) {
			p := ward.submit(planPath, planPath+"/tasks", url.Values{"version": {versionOn(t, ward.get(planPath))}, "section": {"2.2"},
				"title": {" "}, "responsible": {"Công an phường"}, "due": {"30/06/2024"}})
			if p.Status != http.StatusBadRequest {
				t.Fatalf("status %d", p.Status)
			}
			mustContain(t, p, `id="task-title-error"`, "Tên nhiệm vụ không được để trống", `value="Công an phường"`, `value="30/06/2024"`,
				`<option value="2.2" selected>`, "Dữ liệu chưa hợp lệ")
		})
		t.Run("a date outside the campaign year and a malformed date", func(t *testing.T) {
			v := versionOn(t, ward.get(planPath))
			p := ward.submit(planPath, planPath+"/tasks", url.Values{"version": {v}, "section": {"2.2"}, "title": {"Tuần tra"}, "due": {"31/12/2025"}})
			mustContain(t, p, `id="task-due-error"`, "phải trong năm 2024 của chương trình")
			p = ward.submit(planPath, planPath+"/tasks", url.Values{"version": {v}, "section": {"2.2"}, "title": {"Tuần tra"}, "due": {"2024-06-30"}})
			mustContain(t, p, `id="task-due-error"`, "Ngày phải có dạng dd/mm/yyyy")
		})
		t.Run("a valid task is added", func(t *testing.T) {
			loc := mustRedirect(t, ward.submit(planPath, planPath+"/tasks", url.Values{"version": {versionOn(t, ward.get(planPath))},
				"section": {"2.2"}, "title": {"Tuần tra đêm khu nhà trọ"}, "due": {"30/06/2024"}}))
			mustContain(t, ward.get(loc), "Đã thêm nhiệm vụ “Tuần tra đêm khu nhà trọ”.", "hạn 30/06/2024", "Chưa thực hiện")
		})
		t.Run("objectives", func(t *testing.T) {
			v := versionOn(t, ward.get(planPath))
			form := url.Values{"version": {v}, "kind": {"muc_tieu", "yeu_cau", "muc_tieu"}, "text": {"Giảm 10% số vụ phạm pháp hình sự", "", "Không để phát sinh điểm nóng"}}
			mustRedirect(t, ward.submit(planPath, planPath+"/objectives", form))
			p := ward.get(planPath)
			mustContain(t, p, "Đã lưu mục tiêu, yêu cầu.", "Giảm 10% số vụ phạm pháp hình sự", "Không để phát sinh điểm nóng")
			if strings.Contains(p.Body, "Kiềm chế, làm giảm tội phạm") {
				t.Error("the replaced objective is still there")
			}
			form.Set("version", v)
			if p := ward.submit(planPath, planPath+"/objectives", form); p.Status != http.StatusBadRequest {
				t.Errorf("stale version = %d, want 400 with the message", p.Status)
			} else {
				mustContain(t, p, "đã được người khác sửa")
			}
		})
		t.Run("heading", func(t *testing.T) {
			p := ward.submit(planPath, planPath, url.Values{"version": {versionOn(t, ward.get(planPath))}, "title": {""}, "number": {"12/KH-BCĐ"}})
			mustContain(t, p, `id="plan-title-error"`, "Tên kế hoạch không được để trống", `value="12/KH-BCĐ"`)
			mustRedirect(t, ward.submit(planPath, planPath, url.Values{"version": {versionOn(t, ward.get(planPath))}, "title": {"Kế hoạch chuyển hóa phường Nếnh năm 2024"}, "number": {"12/KH-BCĐ"}}))
			mustContain(t, ward.get(planPath), "<h1>Kế hoạch chuyển hóa phường Nếnh năm 2024</h1>", "12/KH-BCĐ")
		})
		plan, err := campaigns.FindPlanByID(f.ctxOf(t, "nenh"), f.db, planID, f.now)
		if err != nil {
			t.Fatal(err)
		}
		task := plan.Tasks[0]
		taskPath := "/tasks/" + itoa(task.ID)
		var attachment string
		t.Run("progress with evidence", func(t *testing.T) {
			p := ward.get(taskPath)
			mustContain(t, p, "Kiện toàn Ban Chỉ đạo phường", "Quá hạn", `enctype="multipart/form-data"`, `<label for="note-file">`, "Tối đa 20 MB")
			p = ward.postFile(taskPath, taskPath+"/notes", url.Values{"text": {""}}, "", nil)
			mustContain(t, p, `id="note-text-error"`, "Nội dung tiến độ không được để trống")
			p = ward.postFile(taskPath, taskPath+"/notes", url.Values{"text": {"Đã họp kiện toàn"}}, "trang.html", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"))
			mustContain(t, p, `id="note-file-error"`, "không được chấp nhận", "Đã họp kiện toàn")
			if strings.Contains(ward.get(taskPath).Body, "Chưa có ghi nhận tiến độ.") == false {
				t.Error("a refused file stored the note")
			}
			loc := mustRedirect(t, ward.postFile(taskPath, taskPath+"/notes", url.Values{"text": {"Đã họp kiện toàn ngày 01/03"}}, "bien-ban.pdf", pdf))
			p = ward.get(loc)
			mustContain(t, p, "Đã ghi nhận tiến độ.", "Đã họp kiện toàn ngày 01/03", "bien-ban.pdf", "(1 KB)")
			attachment = "/attachments/" + itoa(idAfter(t, p.Body, `href="/attachments/`))
			mustContain(t, ward.get(planPath), "Đã họp kiện toàn ngày 01/03", "bien-ban.pdf")
		})
		t.Run("evidence of the task", func(t *testing.T) {
			p := ward.postFile(taskPath, taskPath+"/attachments", nil, "", nil)
			mustContain(t, p, `id="evidence-file-error"`, "Chọn một tệp")
			big := append(append([]byte{}, pdf...), make([]byte, files.MaxSize)...)
			p = ward.postFile(taskPath, taskPath+"/attachments", nil, "quá-lớn.pdf", big)
			mustContain(t, p, `id="evidence-file-error"`, "Tệp quá-lớn.pdf lớn hơn giới hạn 20 MB")
			list := strings.Repeat("Danh sách tổ tuần tra\n", 300) // gzipped on the way back
			loc := mustRedirect(t, ward.postFile(taskPath, taskPath+"/attachments", nil, "danh-sach.txt", []byte(list)))
			p = ward.get(loc)
			mustContain(t, p, "Đã tải lên “danh-sach.txt”.", "danh-sach.txt", "(8 KB)")
			href := "/attachments/" + itoa(idAfter(t, p.Body[strings.Index(p.Body, "h-evidence"):], `href="/attachments/`))
			if got := ward.get(href); got.Status != http.StatusOK || got.Body != list {
				t.Errorf("download = %d, %d bytes, want %d", got.Status, len(got.Body), len(list))
			}
		})
		t.Run("the evidence downloads", func(t *testing.T) {
			p := ward.get(attachment)
			if p.Status != http.StatusOK || p.Body != string(pdf) || p.Header.Get("Content-Type") != "application/pdf" {
				t.Errorf("download = %d %q %q", p.Status, p.Header.Get("Content-Type"), p.Body)
			}
		})
		t.Run("the task's status", func(t *testing.T) {
			p := ward.get(taskPath)
			mustContain(t, p, `<option value="" selected>Quá hạn (giữ nguyên)</option>`)
			form := url.Values{"version": {regexpFind(`name="version" value="(\d+)"`, p.Body)}, "section": {"2.1"}, "title": {"Kiện toàn Ban Chỉ đạo phường"},
				"due": {"01/03/2024"}, "status": {"done"}}
			mustRedirect(t, ward.submit(taskPath, taskPath, form))
			mustContain(t, ward.get(taskPath), "Đã lưu nhiệm vụ.", "Đã hoàn thành")
		})
		t.Run("another ward reaches none of it", func(t *testing.T) {
			other := f.browser(t)
			other.login("quangchau")
			for _, path := range []string{planPath, taskPath, attachment} {
				if p := other.get(path); p.Status != http.StatusNotFound {
					t.Errorf("%s = %d, want 404", path, p.Status)
				}
			}
			p := other.submit("/", planPath+"/tasks", url.Values{"version": {"1"}, "section": {"2.1"}, "title": {"x"}})
			if p.Status != http.StatusNotFound {
				t.Errorf("adding a task to another ward's plan = %d, want 404", p.Status)
			}
		})
		t.Run("submitted", func(t *testing.T) {
			mustRedirect(t, ward.submit(planPath, planPath+"/submit", url.Values{"version": {versionOn(t, ward.get(planPath))}}))
			p := ward.get(planPath)
			mustContain(t, p, "Đã gửi kế hoạch của Phường Nếnh lên cấp trên.", "Đã gửi, chờ duyệt", "Đúng hạn", "đang chờ duyệt nên không sửa được")
			if strings.Contains(p.Body, `action="`+planPath+`/tasks"`) {
				t.Error("a submitted plan still offers to add a task")
			}
		})

		d := f.browser(t)
		d.login("huyen")
		t.Run("the district reviews", func(t *testing.T) {
			mustContain(t, d.get("/review"), "Kế hoạch chờ duyệt", "Kế hoạch chuyển hóa phường Nếnh năm 2024")
			mustContain(t, d.get("/"), "Kế hoạch chuyển hóa phường Nếnh năm 2024")
			p := d.get(planPath)
			mustContain(t, p, "Duyệt kế hoạch", `<label for="return-comment">Lý do trả lại`)
			p = d.submit(planPath, planPath+"/return", url.Values{"version": {versionOn(t, p)}, "comment": {" "}})
			if p.Status != http.StatusBadRequest {
				t.Fatalf("status %d", p.Status)
			}
			mustContain(t, p, `id="return-comment-error"`, "không được để trống")
			mustRedirect(t, d.submit(planPath, planPath+"/return", url.Values{"version": {versionOn(t, d.get(planPath))}, "comment": {"Bổ sung nhiệm vụ tuần tra khu công nghiệp"}}))
		})
		t.Run("the ward sees why, corrects and resubmits", func(t *testing.T) {
			p := ward.get(planPath)
			mustContain(t, p, "Kế hoạch bị trả lại", "Bổ sung nhiệm vụ tuần tra khu công nghiệp", `action="`+planPath+`/tasks"`)
			mustRedirect(t, ward.submit(planPath, planPath+"/tasks", url.Values{"version": {versionOn(t, p)}, "section": {"2.3"}, "title": {"Tuần tra khu công nghiệp Đình Trám"}}))
			mustRedirect(t, ward.submit(planPath, planPath+"/submit", url.Values{"version": {versionOn(t, ward.get(planPath))}}))
		})
		t.Run("the district approves", func(t *testing.T) {
			mustRedirect(t, d.submit(planPath, planPath+"/approve", url.Values{"version": {versionOn(t, d.get(planPath))}}))
			p := d.get(planPath)
			mustContain(t, p, "Đã duyệt kế hoạch của Phường Nếnh.", "Đã duyệt", "Trả lại", "Bổ sung nhiệm vụ tuần tra khu công nghiệp")
			mustContain(t, d.get("/plans?status=approved"), "Kế hoạch chuyển hóa phường Nếnh năm 2024")
		})
		t.Run("after approval the ward updates only the status", func(t *testing.T) {
			p := ward.get(taskPath)
			mustContain(t, p, "Cập nhật tình trạng", `id="status"`)
			if strings.Contains(p.Body, `id="title"`) {
				t.Error("an approved plan's task offers its content to edit")
			}
		})
		_ = planID
	})
}

// versionOn returns the plan version a page's forms carry.
func versionOn(t testing.TB, p webPage) string {
	t.Helper()
	v := regexpFind(`name="version" value="(\d+)"`, p.Body)
	if v == "" {
		t.Fatalf("no version on the page:\n%s", p.Body)
	}
	return v
}

func TestWebPlanStart(t *testing.T) {
	f := mustUIFixture(t, storetest.MustSQLite(t))
	f.now = time.Date(2024, time.March, 20, 2, 0, 0, 0, time.UTC)
	camp := f.mustCampaign(t, "nenh")
	taPath := "/target-areas/" + itoa(camp.areas["nenh"].ID)
	ward := f.browser(t)
	ward.login("nenh")
	p := ward.submit(taPath, taPath+"/plans", url.Values{"title": {""}})
	if p.Status != http.StatusBadRequest {
		t.Fatalf("status %d", p.Status)
	}
	mustContain(t, p, `id="new-plan-title-error"`, "Tên kế hoạch không được để trống")
	loc := mustRedirect(t, ward.submit(taPath, taPath+"/plans", url.Values{"title": {"Kế hoạch chuyển hóa phường Nếnh"}}))
	p = ward.get(loc)
	mustContain(t, p, "Đã lập bản nháp kế hoạch.", "Chưa có nhiệm vụ trong mục này.", "Quá hạn, chưa nộp")
	t.Run("a plan without tasks is not submitted", func(t *testing.T) {
		p := ward.submit(loc, loc+"/submit", url.Values{"version": {versionOn(t, p)}})
		mustContain(t, p, "chưa có nhiệm vụ nào")
	})
	t.Run("in English the field's label and the rule are translated", func(t *testing.T) {
		mustRedirect(t, ward.submit("/settings", "/settings", url.Values{"lang": {"en"}}))
		p := ward.submit(loc, loc+"/tasks", url.Values{"version": {versionOn(t, ward.get(loc))}, "section": {"2.1"}, "title": {""}, "due": {"31/12/2025"}})
		mustContain(t, p, `<html lang="en">`, "Task title: required.", "Due date: 31/12/2025 must fall within the campaign year 2024.")
	})
	t.Run("the police read the plan, without forms", func(t *testing.T) {
		police := f.browser(t)
		police.login("congan.nenh")
		p := police.get(loc)
		if p.Status != http.StatusOK {
			t.Fatalf("status %d", p.Status)
		}
		if strings.Contains(p.Body, `action="`+loc+`/tasks"`) {
			t.Error("the police may add a task")
		}
		if p := police.submit(loc, loc+"/tasks", url.Values{"version": {"1"}, "section": {"2.1"}, "title": {"x"}}); p.Status != http.StatusForbidden {
			t.Errorf("police adding a task = %d, want 403", p.Status)
		}
	})
}

func TestWebBaseline(t *testing.T) {
	f := mustUIFixture(t, storetest.MustSQLite(t))
	camp := f.mustCampaign(t, "nenh")
	path := "/target-areas/" + itoa(camp.areas["nenh"].ID) + "/baseline"

	t.Run("the ward's police read it only", func(t *testing.T) {
		b := f.browser(t)
		b.login("congan.nenh")
		p := b.get(path)
		mustContain(t, p, "Số liệu gốc của Phường Nếnh", "Chưa nhập số liệu gốc", "Công an cấp trên của địa bàn")
		if strings.Contains(p.Body, `action="`+path+`"`) {
			t.Error("the ward's police get the form")
		}
		if p := b.submit(path, path, url.Values{"incidents": {"3"}}); p.Status != http.StatusForbidden {
			t.Errorf("status %d, want 403 (the service's rule)", p.Status)
		}
	})
	t.Run("the ward may not enter it", func(t *testing.T) {
		b := f.browser(t)
		b.login("nenh")
		if p := b.submit(path, path, url.Values{"incidents": {"3"}}); p.Status != http.StatusForbidden {
			t.Errorf("status %d, want 403", p.Status)
		}
	})
	b := f.browser(t)
	b.login("congan.huyen")
	t.Run("the target area links it", func(t *testing.T) {
		mustContain(t, b.get("/target-areas/"+itoa(camp.areas["nenh"].ID)), `href="`+path+`"`)
	})
	t.Run("refused values are named next to their fields", func(t *testing.T) {
		p := b.submit(path, path, url.Values{"version": {"0"}, "incidents": {"mười"}, "period_from": {"15/12/2022"}, "period_to": {"14/12/2023"}})
		mustContain(t, p, `id="bl-incidents-error"`, "Phải là số nguyên.", `value="mười"`)
		p = b.submit(path, path, url.Values{"version": {"0"}, "incidents": {"-2"}, "period_from": {"15/12/2023"}, "period_to": {"14/12/2022"}})
		mustContain(t, p, "Số vụ không được là số âm", `id="bl-period_to-error"`, "trước ngày bắt đầu")
	})
	t.Run("entered and corrected", func(t *testing.T) {
		mustRedirect(t, b.submit(path, path, url.Values{"version": {"0"}, "incidents": {"1.024"}, "period_from": {"15/12/2022"}, "period_to": {"14/12/2023"}, "note": {"Số liệu Công an thị xã"}}))
		p := b.get(path)
		mustContain(t, p, "Đã lưu số liệu gốc", "1.024", "15/12/2022 – 14/12/2023", "Sửa số liệu gốc", `name="version" value="1"`)
		p = b.submit(path, path, url.Values{"version": {"0"}, "incidents": {"30"}, "period_from": {"15/12/2022"}, "period_to": {"14/12/2023"}})
		if p.Status != http.StatusConflict {
			t.Errorf("stale version = %d, want 409", p.Status)
		}
		mustContain(t, p, "đã được người khác thay đổi")
	})
}

func TestWebCommitteeAndModels(t *testing.T) {
	f := mustUIFixture(t, storetest.MustSQLite(t))
	camp := f.mustCampaign(t, "nenh")
	nenh := f.units["nenh"]
	committee, models := "/units/"+itoa(nenh.ID)+"/committee", "/units/"+itoa(nenh.ID)+"/models"
	ward := f.browser(t)
	ward.login("nenh")
	t.Run("the unit page links them", func(t *testing.T) {
		mustContain(t, ward.get("/units/"+itoa(nenh.ID)), `href="`+committee+`"`, `href="`+models+`"`)
	})
	t.Run("committee", func(t *testing.T) {
		p := ward.submit(committee, committee, url.Values{"full_name": {""}, "position": {"head"}, "phone": {"abc"}})
		mustContain(t, p, `id="m-full_name-error"`, "Họ và tên không được để trống", `id="m-phone-error"`, "Số điện thoại phải có 10 chữ số")
		mustRedirect(t, ward.submit(committee, committee, url.Values{"full_name": {"Nguyễn Văn An"}, "position": {"head"}, "job_title": {"Chủ tịch UBND phường"},
			"target_area_ids": {itoa(camp.areas["nenh"].ID)}}))
		p = ward.get(committee)
		mustContain(t, p, "Đã thêm Nguyễn Văn An vào Ban Chỉ đạo.", "Nguyễn Văn An", "Trưởng ban", "Chủ tịch UBND phường", "<td>Phường Nếnh</td>")
		p = ward.submit(committee, committee, url.Values{"full_name": {"Trần Văn Bình"}, "position": {"head"}})
		mustContain(t, p, `id="m-position-error"`, "đã có Trưởng ban", `value="Trần Văn Bình"`)
	})
	t.Run("models", func(t *testing.T) {
		p := ward.submit(models, models, url.Values{"name": {""}, "type": {"camera_an_ninh"}, "members_count": {"-1"}, "established_on": {"01/01/2030"}})
		mustContain(t, p, `id="model-name-error"`, "Tên mô hình không được để trống", `id="model-members_count-error"`, "không được là số âm",
			`id="model-established_on-error"`, "chưa đến")
		mustRedirect(t, ward.submit(models, models, url.Values{"name": {"Tổ camera an ninh thôn Nếnh"}, "type": {"camera_an_ninh"}, "members_count": {"12"},
			"established_on": {"15/01/2024"}, "effective": {"1"}}))
		mustContain(t, ward.get(models), "Đã thêm mô hình", "Tổ camera an ninh thôn Nếnh", "Tổ liên gia camera an ninh", "15/01/2024", "Hiệu quả", "1 trên 1 mô hình")
	})
	t.Run("read-only for the roles that may not write", func(t *testing.T) {
		police := f.browser(t)
		police.login("congan.nenh")
		p := police.get(committee)
		mustContain(t, p, "Nguyễn Văn An", "chỉ được xem")
		if strings.Contains(p.Body, `action="`+committee+`"`) {
			t.Error("the police get the committee form")
		}
		if p := police.submit(committee, committee, url.Values{"full_name": {"X"}, "position": {"member"}}); p.Status != http.StatusForbidden {
			t.Errorf("police add a member = %d, want 403", p.Status)
		}
		d := f.browser(t)
		d.login("huyen")
		p = d.get(models)
		mustContain(t, p, "Tổ camera an ninh thôn Nếnh", "Cấp xã nhập mô hình tự quản")
		if strings.Contains(p.Body, `action="`+models+`"`) {
			t.Error("the district gets the models form")
		}
	})
	t.Run("another ward's are not found", func(t *testing.T) {
		other := f.browser(t)
		other.login("quangchau")
		for _, path := range []string{committee, models} {
			if p := other.get(path); p.Status != http.StatusNotFound {
				t.Errorf("%s = %d, want 404", path, p.Status)
			}
		}
	})
	t.Run("in English", func(t *testing.T) {
		mustRedirect(t, ward.submit("/settings", "/settings", url.Values{"lang": {"en"}}))
		p := ward.submit(models, models, url.Values{"name": {""}, "type": {"khac"}})
		mustContain(t, p, "Name: required.", "Other model")
	})
}
