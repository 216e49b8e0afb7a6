package api_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/files"
	"chuyenhoa/store/storetest"
)

// upload posts content as the multipart file name, evidence of owner.
func (w *world) upload(who, ownerType string, ownerID int64, name string, content []byte) response {
	w.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("owner_type", ownerType)
	mw.WriteField("owner_id", fmt.Sprint(ownerID))
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		w.t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	req, err := http.NewRequest("POST", w.ts.URL+"/api/v1/attachments", &b)
	if err != nil {
		w.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+w.tok[who])
	return w.send(req)
}

func officeZip(t *testing.T, parts ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, p := range parts {
		f, err := z.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(f, "<xml/>")
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")

func TestAttachments(t *testing.T) {
	t.Parallel() // its own database and server, no Redis, no clock bounds
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		w := mustWorld(t, db, vn(2024, 2, 8, 9))
		c := w.mustCampaign(2024)
		nenhArea := w.mustApprovedArea(c.ID, w.nenh.ID)
		qcArea := w.mustApprovedArea(c.ID, w.qc.ID)
		var district, ward, qcPlan campaigns.Plan
		w.mustCall("vy", "POST", "/api/v1/plans", districtPlanBody(nenhArea.ID), http.StatusCreated, &district)
		w.mustCall("nenh", "POST", fmt.Sprintf("/api/v1/plans/%d/copy", district.ID), nil, http.StatusCreated, &ward)
		w.mustCall("qc", "POST", "/api/v1/plans", districtPlanBody(qcArea.ID), http.StatusCreated, &qcPlan)
		task := ward.Tasks[0].ID

		var a campaigns.Attachment
		t.Run("upload evidence", func(t *testing.T) {
			res := w.upload("nenh", campaigns.OwnerTask, task, `C:\biên bản\Biên bản họp.pdf`, pdf)
			if res.Status != http.StatusCreated {
				t.Fatalf("upload = %d %s", res.Status, res.Body)
			}
			mustJSON(t, res.Body, &a)
			if a.ContentType != "application/pdf" || a.Size != int64(len(pdf)) || a.UnitID != w.nenh.ID || a.Name != "Biên bản họp.pdf" || len(a.SHA256) != 64 {
				t.Errorf("attachment = %+v", a)
			}
			for _, tc := range []struct {
				name    string
				content []byte
				want    string
			}{
				{"bao-cao.docx", officeZip(t, "[Content_Types].xml", "word/document.xml"), files.TypeDocx},
				{"so-lieu.xlsx", officeZip(t, "[Content_Types].xml", "xl/workbook.xml"), files.TypeXlsx},
				{"ghi-chu.txt", []byte("Đã họp dân tổ 5, phường Nếnh.\n"), files.TypeText},
				{"anh.png", append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 32)...), "image/png"},
			} {
				var got campaigns.Attachment
				res := w.upload("nenh", campaigns.OwnerTask, task, tc.name, tc.content)
				if res.Status != http.StatusCreated {
					t.Errorf("%s = %d %s", tc.name, res.Status, res.Body)
					continue
				}
				mustJSON(t, res.Body, &got)
				if got.ContentType != tc.want {
					t.Errorf("%s type = %q, want %q", tc.name, got.ContentType, tc.want)
				}
			}
		})

		t.Run("refused uploads store nothing", func(t *testing.T) {
			before := w.count("attachments")
			for _, tc := range []struct {
				name    string
				content []byte
			}{
				{"trang.pdf", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")},
				{"nen.docx", officeZip(t, "a.txt")},
				{"chay.exe", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")},
				{"rong.txt", nil},
			} {
				e := mustAPIError(t, w.upload("nenh", campaigns.OwnerTask, task, tc.name, tc.content), http.StatusBadRequest, "invalid")
				if _, ok := e.Error.Fields["file"]; !ok {
					t.Errorf("%s: fields %v do not name file", tc.name, e.Error.Fields)
				}
			}
			big := append(append([]byte{}, pdf...), make([]byte, files.MaxSize)...)
			e := mustAPIError(t, w.upload("nenh", campaigns.OwnerTask, task, "lon.pdf", big), http.StatusBadRequest, "invalid")
			if !strings.Contains(e.Error.Fields["file"], "20 MB") {
				t.Errorf("too large: %v", e.Error.Fields)
			}
			mustAPIError(t, w.upload("nenh", "report", task, "a.pdf", pdf), http.StatusBadRequest, "invalid")
			mustAPIError(t, w.upload("vy", campaigns.OwnerTask, task, "a.pdf", pdf), http.StatusForbidden, "forbidden")
			mustAPIError(t, w.upload("nenh", campaigns.OwnerTask, district.Tasks[0].ID, "a.pdf", pdf), http.StatusForbidden, "forbidden")
			mustAPIError(t, w.upload("qc", campaigns.OwnerTask, task, "a.pdf", pdf), http.StatusNotFound, "not_found")
			mustAPIError(t, w.upload("province", campaigns.OwnerTask, task, "a.pdf", pdf), http.StatusForbidden, "forbidden")
			if got := w.count("attachments"); got != before {
				t.Errorf("%d attachments stored by refused uploads", got-before)
			}
		})

		t.Run("served only within scope", func(t *testing.T) {
			path := fmt.Sprintf("/api/v1/attachments/%d", a.ID)
			for _, who := range []string{"nenh", "police", "vy", "province"} {
				res := w.call(who, "GET", path+"/content", nil)
				if res.Status != http.StatusOK || !bytes.Equal(res.Body, pdf) {
					t.Errorf("%s downloads %d (%d bytes)", who, res.Status, len(res.Body))
					continue
				}
				if got := res.Header.Get("Content-Type"); got != "application/pdf" {
					t.Errorf("content type = %q", got)
				}
				if got := res.Header.Get("Content-Disposition"); !strings.HasPrefix(got, "attachment;") {
					t.Errorf("disposition = %q", got)
				}
			}
			for _, who := range []string{"qc", "lg", "hanoi"} {
				w.refused(who, "GET", path, nil, http.StatusNotFound, "not_found")
				w.refused(who, "GET", path+"/content", nil, http.StatusNotFound, "not_found")
			}
			var l struct{ Items []campaigns.Attachment }
			w.mustCall("qc", "GET", fmt.Sprintf("/api/v1/attachments?owner_type=task&owner_id=%d", task), nil, http.StatusOK, &l)
			if len(l.Items) != 0 {
				t.Errorf("Quang Châu lists %d attachments of Nếnh's task", len(l.Items))
			}
			w.mustCall("vy", "GET", fmt.Sprintf("/api/v1/attachments?owner_type=task&owner_id=%d", task), nil, http.StatusOK, &l)
			if len(l.Items) != 5 {
				t.Errorf("district lists %d attachments, want 5", len(l.Items))
			}
		})

		t.Run("evidence of a progress note", func(t *testing.T) {
			var note struct{ ID int64 }
			w.mustCall("nenh", "POST", fmt.Sprintf("/api/v1/tasks/%d/notes", task), map[string]any{"text": "Đã tổ chức hội nghị"}, http.StatusCreated, &note)
			var na campaigns.Attachment
			res := w.upload("nenh", campaigns.OwnerProgressNote, note.ID, "hoi-nghi.jpg", append([]byte("\xff\xd8\xff\xe0"), make([]byte, 64)...))
			if res.Status != http.StatusCreated {
				t.Fatalf("upload = %d %s", res.Status, res.Body)
			}
			mustJSON(t, res.Body, &na)
			var got campaigns.Task
			w.mustCall("nenh", "GET", fmt.Sprintf("/api/v1/tasks/%d", task), nil, http.StatusOK, &got)
			if len(got.ProgressNotes) != 1 || fmt.Sprint(got.ProgressNotes[0].AttachmentIDs) != fmt.Sprintf("[%d]", na.ID) {
				t.Errorf("notes = %+v", got.ProgressNotes)
			}
		})

		t.Run("stored under the data directory", func(t *testing.T) {
			n := 0
			filepath.WalkDir(w.dataDir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					n++
				}
				return nil
			})
			if got, want := n, w.count("attachments"); got != want {
				t.Errorf("%d files on disk for %d attachments", got, want)
			}
		})
	})
}

func TestCommitteeAndModels(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		w := mustWorld(t, db, vn(2024, 2, 8, 9))
		c := w.mustCampaign(2024)
		nenhArea := w.mustApprovedArea(c.ID, w.nenh.ID)
		qcArea := w.mustApprovedArea(c.ID, w.qc.ID)
		roster := func(u int64) string { return fmt.Sprintf("/api/v1/units/%d/committee", u) }

		var head, assigned campaigns.CommitteeMember
		t.Run("roster", func(t *testing.T) {
			w.mustCall("vy", "POST", roster(w.vy.ID), map[string]any{"full_name": "Nguyễn Đại Lượng", "position": "head", "job_title": "Chủ tịch UBND thị xã", "agency": "UBND thị xã Việt Yên", "phone": "0204 3874 123"}, http.StatusCreated, &head)
			w.mustCall("vy", "POST", roster(w.vy.ID), map[string]any{"full_name": "Phó Trưởng Công an thị xã", "position": "member", "target_area_ids": []int64{nenhArea.ID, qcArea.ID}}, http.StatusCreated, &assigned)
			if fmt.Sprint(assigned.TargetAreaIDs) != fmt.Sprint([]int64{nenhArea.ID, qcArea.ID}) || assigned.Version != 1 {
				t.Errorf("assigned = %+v", assigned)
			}
			w.mustField("vy", "POST", roster(w.vy.ID), map[string]any{"full_name": "Người thứ hai", "position": "head"}, "position")
			w.mustField("vy", "POST", roster(w.vy.ID), map[string]any{"full_name": "", "position": "member"}, "full_name")
			w.mustField("vy", "POST", roster(w.vy.ID), map[string]any{"full_name": "A", "position": "chief"}, "position")
			w.mustField("vy", "POST", roster(w.vy.ID), map[string]any{"full_name": "A", "position": "member", "phone": "abc"}, "phone")
			w.mustField("vy", "POST", roster(w.vy.ID), map[string]any{"full_name": "A", "position": "member", "target_area_ids": []int64{424242}}, "target_area_ids[0]")
			w.mustField("qc", "POST", roster(w.qc.ID), map[string]any{"full_name": "A", "position": "member", "target_area_ids": []int64{nenhArea.ID}}, "target_area_ids[0]")
			w.refused("police", "POST", roster(w.nenh.ID), map[string]any{"full_name": "A", "position": "member"}, http.StatusForbidden, "forbidden")
			w.refused("nenh", "POST", roster(w.vy.ID), map[string]any{"full_name": "A", "position": "member"}, http.StatusNotFound, "not_found")
			w.refused("nenh", "GET", roster(w.vy.ID), nil, http.StatusNotFound, "not_found")
			w.refused("qc", "GET", roster(w.nenh.ID), nil, http.StatusNotFound, "not_found")
			var l struct{ Items []campaigns.CommitteeMember }
			w.mustCall("province", "GET", roster(w.vy.ID), nil, http.StatusOK, &l)
			if len(l.Items) != 2 || l.Items[0].FullName != "Nguyễn Đại Lượng" {
				t.Errorf("roster = %+v", l.Items)
			}
			if n := w.count("committee_members"); n != 2 {
				t.Errorf("%d members stored", n)
			}
		})

		t.Run("update with version", func(t *testing.T) {
			p := fmt.Sprintf("/api/v1/committee-members/%d", assigned.ID)
			body := map[string]any{"full_name": "Phó Trưởng Công an thị xã", "position": "standing_deputy", "target_area_ids": []int64{nenhArea.ID}}
			w.mustField("vy", "PUT", p, body, "version")
			body["version"] = 9
			w.refused("vy", "PUT", p, body, http.StatusConflict, "conflict")
			body["version"] = 1
			var got campaigns.CommitteeMember
			w.mustCall("vy", "PUT", p, body, http.StatusOK, &got)
			if got.Version != 2 || got.Position != "standing_deputy" || fmt.Sprint(got.TargetAreaIDs) != fmt.Sprint([]int64{nenhArea.ID}) {
				t.Errorf("updated = %+v", got)
			}
		})

		t.Run("responsible members belong to the author's committee", func(t *testing.T) {
			body := districtPlanBody(nenhArea.ID)
			body["tasks"].([]any)[0].(map[string]any)["responsible_member_ids"] = []int64{head.ID}
			var district campaigns.Plan
			w.mustCall("vy", "POST", "/api/v1/plans", body, http.StatusCreated, &district)
			if fmt.Sprint(district.Tasks[0].ResponsibleMemberIDs) != fmt.Sprint([]int64{head.ID}) {
				t.Errorf("responsible = %v", district.Tasks[0].ResponsibleMemberIDs)
			}
			var ward campaigns.Plan
			w.mustCall("nenh", "POST", fmt.Sprintf("/api/v1/plans/%d/copy", district.ID), nil, http.StatusCreated, &ward)
			if len(ward.Tasks[0].ResponsibleMemberIDs) != 0 {
				t.Errorf("copy kept the district's members %v", ward.Tasks[0].ResponsibleMemberIDs)
			}
			w.mustField("nenh", "PATCH", fmt.Sprintf("/api/v1/tasks/%d", ward.Tasks[0].ID), map[string]any{"version": 1, "responsible_member_ids": []int64{head.ID}}, "responsible_member_ids[0]")
			w.refused("vy", "DELETE", fmt.Sprintf("/api/v1/committee-members/%d", head.ID), nil, http.StatusConflict, "conflict", "Nguyễn Đại Lượng")
			w.mustCall("vy", "DELETE", fmt.Sprintf("/api/v1/committee-members/%d", assigned.ID), nil, http.StatusOK, nil)
		})

		t.Run("self-management models", func(t *testing.T) {
			models := fmt.Sprintf("/api/v1/units/%d/models", w.nenh.ID)
			var types struct{ Items []struct{ Code, Name string } }
			w.mustCall("police", "GET", "/api/v1/model-types", nil, http.StatusOK, &types)
			if len(types.Items) < 4 || types.Items[1].Name != "Tổ liên gia camera an ninh" {
				t.Errorf("types = %+v", types.Items)
			}
			body := map[string]any{"name": "Tổ liên gia camera an ninh khu phố Nếnh", "type": "camera_an_ninh", "established_on": "2023-05-10", "members_count": 24, "effective": true}
			w.refused("vy", "POST", models, body, http.StatusForbidden, "forbidden")
			w.refused("qc", "POST", models, body, http.StatusNotFound, "not_found")
			var m campaigns.Model
			w.mustCall("nenh", "POST", models, body, http.StatusCreated, &m)
			if m.TypeName != "Tổ liên gia camera an ninh" || !m.Effective || m.MembersCount != 24 {
				t.Errorf("model = %+v", m)
			}
			for field, v := range map[string]any{"type": "khong_co", "members_count": -1, "established_on": "2024-12-31", "name": ""} {
				b := map[string]any{}
				for k, x := range body {
					b[k] = x
				}
				b[field] = v
				w.mustField("nenh", "POST", models, b, field)
			}
			p := fmt.Sprintf("/api/v1/models/%d", m.ID)
			body["effective"] = false
			w.mustField("nenh", "PUT", p, body, "version")
			body["version"] = 1
			w.refused("qc", "PUT", p, body, http.StatusNotFound, "not_found")
			w.mustCall("nenh", "PUT", p, body, http.StatusOK, &m)
			if m.Effective || m.Version != 2 {
				t.Errorf("updated = %+v", m)
			}
			var l struct{ Items []campaigns.Model }
			w.mustCall("vy", "GET", models, nil, http.StatusOK, &l)
			if len(l.Items) != 1 {
				t.Errorf("district lists %d models", len(l.Items))
			}
			w.refused("qc", "GET", models, nil, http.StatusNotFound, "not_found")
			if n := w.count("models"); n != 1 {
				t.Errorf("%d models stored", n)
			}
		})
	})
}

// TestAttachmentsFollowOwnerPermission: evidence is a change of the object
// it attaches to, so the ward's police, who read its plan only, may not
// attach files to the plan, its tasks or its progress notes (issue 17,
// item 6), while the ward that writes the plan may.
func TestAttachmentsFollowOwnerPermission(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		w := mustWorld(t, db, vn(2024, 2, 8, 9))
		c := w.mustCampaign(2024)
		area := w.mustApprovedArea(c.ID, w.nenh.ID)
		var district, ward campaigns.Plan
		w.mustCall("vy", "POST", "/api/v1/plans", districtPlanBody(area.ID), http.StatusCreated, &district)
		w.mustCall("nenh", "POST", fmt.Sprintf("/api/v1/plans/%d/copy", district.ID), nil, http.StatusCreated, &ward)
		task := ward.Tasks[0].ID
		var note struct{ ID int64 }
		w.mustCall("nenh", "POST", fmt.Sprintf("/api/v1/tasks/%d/notes", task), map[string]any{"text": "Đã tuần tra"}, http.StatusCreated, &note)

		for _, tc := range []struct {
			who, ownerType string
			ownerID        int64
			want           int
		}{
			{"police", campaigns.OwnerPlan, ward.ID, http.StatusForbidden},
			{"police", campaigns.OwnerTask, task, http.StatusForbidden},
			{"police", campaigns.OwnerProgressNote, note.ID, http.StatusForbidden},
			{"police", campaigns.OwnerTargetArea, area.ID, http.StatusCreated},
			{"nenh", campaigns.OwnerPlan, ward.ID, http.StatusCreated},
			{"nenh", campaigns.OwnerTask, task, http.StatusCreated},
			{"nenh", campaigns.OwnerProgressNote, note.ID, http.StatusCreated},
		} {
			t.Run(tc.who+" "+tc.ownerType, func(t *testing.T) {
				before := w.count("attachments")
				res := w.upload(tc.who, tc.ownerType, tc.ownerID, "bien-ban.pdf", pdf)
				if res.Status != tc.want {
					t.Fatalf("upload = %d %s, want %d", res.Status, res.Body, tc.want)
				}
				stored := w.count("attachments") - before
				if want := map[bool]int{true: 1, false: 0}[tc.want == http.StatusCreated]; stored != want {
					t.Errorf("%d attachments stored, want %d", stored, want)
				}
			})
		}
	})
}

// TestDownloadNameAndType: a download carries the extension of the type
// judged by content and a name without direction overrides or control
// characters, and tells the browser not to sniff (issue 17, item 9).
func TestDownloadNameAndType(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		w := mustWorld(t, db, vn(2024, 2, 8, 9))
		c := w.mustCampaign(2024)
		area := w.mustApprovedArea(c.ID, w.nenh.ID)
		for _, tc := range []struct {
			name    string
			content []byte
			stored  string
			ascii   string
		}{
			{"bienban.hta", pdf, "bienban.pdf", `filename="bienban.pdf"`},
			{"bien\u202Eban\u202Cfdp.exe", pdf, "bienbanfdp.pdf", `filename="bienbanfdp.pdf"`},
			{"Ảnh hiện trường.html", append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 32)...), "Ảnh hiện trường.png", `filename="Anh hien truong.png"`},
		} {
			t.Run(tc.stored, func(t *testing.T) {
				res := w.upload("police", campaigns.OwnerTargetArea, area.ID, tc.name, tc.content)
				if res.Status != http.StatusCreated {
					t.Fatalf("upload = %d %s", res.Status, res.Body)
				}
				var a campaigns.Attachment
				mustJSON(t, res.Body, &a)
				if a.Name != tc.stored {
					t.Errorf("stored name = %q, want %q", a.Name, tc.stored)
				}
				got := w.call("vy", "GET", fmt.Sprintf("/api/v1/attachments/%d/content", a.ID), nil)
				if got.Status != http.StatusOK || !bytes.Equal(got.Body, tc.content) {
					t.Fatalf("download = %d (%d bytes)", got.Status, len(got.Body))
				}
				cd := got.Header.Get("Content-Disposition")
				if !strings.HasPrefix(cd, "attachment; ") || !strings.Contains(cd, tc.ascii) || !strings.Contains(cd, "filename*=UTF-8''") {
					t.Errorf("Content-Disposition = %q, want it to hold %s", cd, tc.ascii)
				}
				for _, r := range cd {
					if r < 0x20 || r > 0x7e {
						t.Errorf("Content-Disposition %q holds %U", cd, r)
					}
				}
				if got := got.Header.Get("X-Content-Type-Options"); got != "nosniff" {
					t.Errorf("X-Content-Type-Options = %q", got)
				}
			})
		}
	})
}
