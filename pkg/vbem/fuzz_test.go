package vbem

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
)

type fuzzBody struct {
	io.Reader
	closed bool
}

func (b *fuzzBody) Close() error {
	b.closed = true
	return nil
}

func fuzzResp(status int, contentType string, body []byte) (*http.Response, *fuzzBody) {
	b := &fuzzBody{Reader: bytes.NewReader(body)}
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	req, _ := http.NewRequest(http.MethodGet, "https://em.example.com:9398/api/tasks/task-1", nil)
	return &http.Response{StatusCode: status, Header: h, Body: b, Request: req}, b
}

// FuzzDecodeError feeds arbitrary Error elements (XML and JSON) to
// decodeError, directly and through apierr.CheckResponse.
func FuzzDecodeError(f *testing.F) {
	f.Add("application/xml", []byte(`<?xml version="1.0" encoding="utf-8"?>
<Error xmlns="http://www.veeam.com/ent/v1.0" Message="Session has expired" StatusCode="401" Status="Unauthorized"><FirstChanceExceptionMessage>Session has expired</FirstChanceExceptionMessage></Error>`))
	f.Add("application/json", []byte(`{"FirstChanceExceptionMessage":"X-RestSvcSessionId: abc","StackTrace":null,"Message":"The given key was not present","StatusCode":404,"Status":"NotFound"}`))
	f.Add("application/xml", []byte(`<Error Message="&lt;Password&gt;S3cr3t-xyz&lt;/Password&gt;" StatusCode="abc"/>`))
	f.Add("", []byte(`<Error><FirstChanceExceptionMessage><![CDATA[Bearer abc.def]]></FirstChanceExceptionMessage>`))
	f.Add("text/plain", []byte(`{"Message":1,"Status":null}`))
	f.Add("application/xml", []byte(`<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><Error Message="&a;&a;&a;"/>`))
	f.Add("application/json", []byte(strings.Repeat("[", 10000)))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		e := &apierr.Error{StatusCode: http.StatusInternalServerError, RequestID: "rid"}
		decodeError(contentType, body, e)
		if e.StatusCode != http.StatusInternalServerError || e.RequestID != "rid" {
			t.Fatalf("decodeError changed fields it does not own: %+v", e)
		}
		for _, status := range []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusInternalServerError} {
			resp, b := fuzzResp(status, contentType, body)
			err := apierr.CheckResponse(resp, decodeError)
			var ae *apierr.Error
			if !errors.As(err, &ae) {
				t.Fatalf("%d gave %T %v, want *apierr.Error", status, err, err)
			}
			if !b.closed {
				t.Fatal("body not closed")
			}
			if ae.StatusCode != status {
				t.Fatalf("StatusCode = %d, want %d", ae.StatusCode, status)
			}
			msg := ae.Error()
			if msg == "" || !strings.Contains(msg, strconv.Itoa(status)) {
				t.Fatalf("Error() = %q, want the status %d in it", msg, status)
			}
			for name, v := range map[string]string{"Message": ae.Message, "Details": ae.Details, "Body": ae.Body} {
				if apierr.Redact(v) != v {
					t.Fatalf("%s is not redacted: %q", name, v)
				}
			}
		}
	})
}

// addDecodeSeeds adds Enterprise Manager answers in both media types.
func addDecodeSeeds(f *testing.F, xmlBody, jsonBody string) {
	f.Add(200, "application/xml; charset=utf-8", []byte(xmlBody))
	f.Add(200, "application/json", []byte(jsonBody))
	f.Add(201, "", []byte(xmlBody))
	f.Add(202, "application/json", []byte("  \r\n "))
	f.Add(200, "application/json", []byte("\xef\xbb\xbf "+jsonBody))
	f.Add(200, "text/html", []byte("<html><body>login</body></html>"))
	f.Add(200, "application/xml", []byte(`<Task><Links><Link Rel="Up" Href="`+strings.Repeat("x", 100)+`"/>`))
	f.Add(200, "application/json", []byte(`{"Links":[{"Rel":1}]}`))
	f.Add(404, "application/xml", []byte(`<Error Message="Not found" StatusCode="404"/>`))
	f.Add(200, "text/plain", []byte(`<`))
}

const (
	fuzzPasswordXML = `<?xml version="1.0" encoding="utf-8"?>
<PasswordKeyInfo Href="https://em.example.com:9398/api/backupServers/50a1b2fb/passwords/cacd84ea" Type="PasswordKey" xmlns="http://www.veeam.com/ent/v1.0">
  <Links><Link Href="https://em.example.com:9398/api/backupServers/50a1b2fb?format=Entity" Type="BackupServer" Rel="Up" Name="srv02"/></Links>
  <Id>cacd84ea-5cc9-46b5-9e79-2162c4170662</Id><Hint>My password</Hint>
  <LastModificationDate>2014-10-10T23:06:17-08:00</LastModificationDate>
</PasswordKeyInfo>`
	fuzzPasswordJSON = `{"Hint":"My password","Href":"https://em.example.com:9398/api/backupServers/50a1b2fb/passwords/cacd84ea","Id":"cacd84ea-5cc9-46b5-9e79-2162c4170662","LastModificationDate":"2014-10-10T23:06:17-08:00","Links":[{"Href":"https://em.example.com:9398/api/backupServers/50a1b2fb?format=Entity","Name":"srv02","Rel":"Up","Type":"BackupServer"}],"Type":"PasswordKey"}`
	fuzzQueryXML     = `<QueryResult xmlns="http://www.veeam.com/ent/v1.0"><Refs><Ref Href="https://em/api/tasks/task-1" Type="TaskReference" Name="task-1" UID="urn:veeam:Task:task-1"/></Refs><Entities><Passwords><PasswordKeyInfo Type="PasswordKey"><Id>1</Id></PasswordKeyInfo></Passwords></Entities><PagingInfo PageNum="1" PageSize="100" PagesCount="3"><Links><Link Rel="Next" Href="https://em/api/query?page=2"/></Links></PagingInfo></QueryResult>`
	fuzzQueryJSON    = `{"Refs":{"Refs":[{"Href":"https://em/api/tasks/task-1","Name":"task-1","Type":"TaskReference","UID":"urn:veeam:Task:task-1"}]},"Resources":{"Tasks":{"Tasks":[{"TaskId":"task-1","State":"Finished"}]}},"PagingInfo":{"PageNum":1,"PageSize":100,"PagesCount":3}}`
	fuzzTaskXML      = `<Task Href="https://em.example.com:9398/api/tasks/task-12" Type="Task" xmlns="http://www.veeam.com/ent/v1.0"><Links><Link Href="https://em.example.com:9398/api/backupServers/50a1b2fb/passwords/cacd84ea" Type="PasswordKey" Rel="Related"/></Links><TaskId>task-12</TaskId><State>Finished</State><Operation>CreateEncryptionPassword</Operation><Result Success="true"><Message>Password created</Message></Result></Task>`
	fuzzTaskJSON     = `{"Href":"https://em.example.com:9398/api/tasks/task-12","Type":"Task","TaskId":"task-12","State":"Finished","Operation":"CreateEncryptionPassword","Result":{"Success":false,"Message":"Access token=abc denied"}}`
)

// checkDecode drives the answers of Enterprise Manager through the codec
// (svc.Optional and svc.Result, as the services call them) and checks their
// contract.
func checkDecode[T any](t *testing.T, status int, contentType string, body []byte) {
	t.Helper()
	// Only three-digit status codes reach the decoders from net/http.
	status = 100 + status%500
	if status < 100 {
		status += 500
	}
	c := &svc.Core{Product: "vbem", Decode: decodeError, Codec: codec{}}
	resp, b := fuzzResp(status, contentType, body)
	v, err := svc.Optional[T](c, resp, nil)
	if !b.closed {
		t.Fatal("body not closed")
	}
	resp, b = fuzzResp(status, contentType, body)
	r, rerr := svc.Result[T](c, resp, nil)
	if !b.closed {
		t.Fatal("body not closed by Result")
	}
	if status < 200 || status >= 300 {
		var ae, re *apierr.Error
		if v != nil || !errors.As(err, &ae) || ae.StatusCode != status || ae.Error() == "" {
			t.Fatalf("status %d gave %v, %v; want an *apierr.Error", status, v, err)
		}
		if r != nil || !errors.As(rerr, &re) || re.StatusCode != status {
			t.Fatalf("Result: status %d gave %v, %v; want an *apierr.Error", status, r, rerr)
		}
		return
	}
	if len(bytes.Trim(bytes.TrimPrefix(body, utf8BOM), " \t\r\n")) == 0 {
		if v != nil || err != nil {
			t.Fatalf("blank body gave %v, %v; want nil, nil", v, err)
		}
		if r != nil || !errors.Is(rerr, apierr.ErrUnexpectedResponse) {
			t.Fatalf("Result: blank body gave %v, %v; want ErrUnexpectedResponse", r, rerr)
		}
		return
	}
	if (err == nil) != (rerr == nil) {
		t.Fatalf("Optional and Result disagree on a body: %v, %v", err, rerr)
	}
	if err != nil {
		var ae *apierr.Error
		if v != nil || !errors.As(err, &ae) || !errors.Is(err, apierr.ErrUnexpectedResponse) || ae.StatusCode != status {
			t.Fatalf("decode failure gave %v, %T %v", v, err, err)
		}
		return
	}
	if v == nil || r == nil {
		t.Fatal("nil value without an error")
	}
	if _, err := json.Marshal(v); err != nil {
		t.Fatalf("decoded value does not encode again: %v", err)
	}
}

func FuzzDecodePasswordKeyInfo(f *testing.F) {
	addDecodeSeeds(f, fuzzPasswordXML, fuzzPasswordJSON)
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		checkDecode[vbemapi.PasswordKeyInfo](t, status, contentType, body)
	})
}

func FuzzDecodeQueryResult(f *testing.F) {
	addDecodeSeeds(f, fuzzQueryXML, fuzzQueryJSON)
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		checkDecode[vbemapi.QueryResult](t, status, contentType, body)
	})
}

func FuzzDecodeTask(f *testing.F) {
	addDecodeSeeds(f, fuzzTaskXML, fuzzTaskJSON)
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		checkDecode[vbemapi.Task](t, status, contentType, body)
	})
}
