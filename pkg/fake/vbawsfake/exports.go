package vbawsfake

import (
	"encoding/csv"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// The exports of the appliance's lists (IAM roles, standard accounts,
// repositories, sessions, EC2 instances, the license):
// a CSV file with a header row, or an XML document with one element per
// row, as the Accept header asks (CSV when it names neither).

// exportTable is what an export writes: its rows under named columns.
type exportTable struct {
	root, row string // the XML elements of the document and of a row
	columns   []string
	rows      [][]string
}

// xmlName turns a column name into an element name: "AWS Account ID"
// becomes AWSAccountID, "Duration (ms)" DurationMs.
func xmlName(column string) string {
	var b strings.Builder
	for _, word := range strings.FieldsFunc(column, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		rs := []rune(word)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	return b.String()
}

func writeExport(w http.ResponseWriter, r *http.Request, t exportTable) {
	if strings.Contains(r.Header.Get("Accept"), "xml") {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusOK)
		enc := xml.NewEncoder(w)
		start := func(name string) { _ = enc.EncodeToken(xml.StartElement{Name: xml.Name{Local: name}}) }
		end := func(name string) { _ = enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: name}}) }
		start(t.root)
		for _, row := range t.rows {
			start(t.row)
			for i, v := range row {
				name := xmlName(t.columns[i])
				start(name)
				_ = enc.EncodeToken(xml.CharData(v))
				end(name)
			}
			end(t.row)
		}
		end(t.root)
		_ = enc.Flush()
		return
	}
	w.Header().Set("Content-Type", "text/csv")
	w.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(w)
	_ = cw.Write(t.columns)
	_ = cw.WriteAll(t.rows)
}

// exportRoles writes the IAM roles: the access key ID of a role added with
// access keys, never a secret (the fake keeps none).
func (f *Fake) exportRoles(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	f.mu.Lock()
	var rows [][]string
	for _, a := range f.infra.roles.list(nil) {
		role, key := "", ""
		switch {
		case a.IAMRole != nil:
			role = a.IAMRole.RoleName
		case a.IAMRoleFromAnotherAccount != nil:
			role = a.IAMRoleFromAnotherAccount.RoleName
		}
		if a.AccessKeys != nil {
			key = a.AccessKeys.AccessKey
		}
		rows = append(rows, []string{a.Name, a.Description, a.Awsid, role, string(valueOf(a.RegionType)), key})
	}
	f.mu.Unlock()
	writeExport(w, r, exportTable{root: "AmazonAccounts", row: "AmazonAccount",
		columns: []string{"Name", "Description", "AWS Account ID", "Role Name", "Region Type", "Access Key"}, rows: rows})
}

// exportAccounts writes the standard accounts, without passwords.
func (f *Fake) exportAccounts(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	f.mu.Lock()
	var rows [][]string
	for _, a := range f.infra.accounts.list(nil) {
		rows = append(rows, []string{a.Name, a.Username, a.Description})
	}
	f.mu.Unlock()
	writeExport(w, r, exportTable{root: "StandardAccounts", row: "StandardAccount", columns: []string{"Name", "User Name", "Description"}, rows: rows})
}

// exportRepos writes the repositories with the names of their IAM roles.
func (f *Fake) exportRepos(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	f.mu.Lock()
	var rows [][]string
	for _, x := range f.infra.repos.list(nil) {
		role := ""
		if a, ok := f.infra.roles.get(x.AmazonAccountID); ok {
			role = a.Name
		}
		bucket := ""
		if x.AmazonBucketID != nil {
			bucket = x.AmazonBucketID.String()
		}
		rows = append(rows, []string{x.Name, x.Description, x.AmazonStorageFolder, bucket, role, strconv.FormatBool(x.EnableEncryption)})
	}
	f.mu.Unlock()
	writeExport(w, r, exportTable{root: "Repositories", row: "Repository",
		columns: []string{"Name", "Description", "Folder", "Bucket ID", "IAM Role", "Encryption"}, rows: rows})
}

// validateAccountName answers an error message when a standard account has
// the name already (in any case). It runs under f.mu (withBody).
func (f *Fake) validateAccountName(w http.ResponseWriter, r *http.Request, _ *fake.Input, spec vbawsapi.StandardAccountNameValidationSpec) {
	msgs := []vbawsapi.ValidationMessage{}
	if f.accounts().nameTaken(spec.Name, uuid.Nil) {
		msgs = append(msgs, vbawsapi.ValidationMessage{Severity: vbawsapi.ValidationMessageSeverityError, Message: "A standard account with this name already exists."})
	}
	veeamfake.WriteJSON(w, http.StatusOK, msgs)
}
