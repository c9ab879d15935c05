package vbaws

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
)

// The exports of the appliance's lists answer a CSV or an XML file, as the
// Accept header asks. The generator would ask for both at once, so these
// methods are written by hand: the caller picks the format, and the file is
// streamed (the caller closes it; nothing is buffered).

// export checks format, then makes the call with an Accept header asking
// for it and hands the body of its answer over.
func (c *core) export(method string, format ExportFormat, call func(accept vbawsapi.RequestEditorFn) (*http.Response, error)) (io.ReadCloser, error) {
	if format != ExportCSV && format != ExportXML {
		return nil, fmt.Errorf("vbaws: %s format must be ExportCSV or ExportXML", method)
	}
	resp, err := call(func(_ context.Context, req *http.Request) error {
		req.Header.Set("Accept", string(format))
		return nil
	})
	return c.Stream(resp, err)
}

// Export streams the list of IAM roles as CSV or XML. Access keys are never
// exported (the appliance does not keep secret keys).
//
// POST /api/v1/accounts/amazon/export (operation ExportAmazonAccounts)
func (s *IAMRolesService) Export(ctx context.Context, format ExportFormat) (io.ReadCloser, error) {
	return s.c.export("IAMRoles.Export", format, func(accept vbawsapi.RequestEditorFn) (*http.Response, error) {
		return s.c.api.ExportAmazonAccounts(ctx, &vbawsapi.ExportAmazonAccountsParams{XAPIVersion: s.c.veeam.APIVersion}, accept)
	})
}

// Export streams the list of standard accounts as CSV or XML (without their
// passwords).
//
// POST /api/v1/accounts/standard/export (operation ExportStandardAccounts)
func (s *StandardAccountsService) Export(ctx context.Context, format ExportFormat) (io.ReadCloser, error) {
	return s.c.export("StandardAccounts.Export", format, func(accept vbawsapi.RequestEditorFn) (*http.Response, error) {
		return s.c.api.ExportStandardAccounts(ctx, &vbawsapi.ExportStandardAccountsParams{XAPIVersion: s.c.veeam.APIVersion}, accept)
	})
}

// Export streams the list of backup repositories as CSV or XML.
//
// POST /api/v1/repositories/export (operation ExportRepositories)
func (s *RepositoriesService) Export(ctx context.Context, format ExportFormat) (io.ReadCloser, error) {
	return s.c.export("Repositories.Export", format, func(accept vbawsapi.RequestEditorFn) (*http.Response, error) {
		return s.c.api.ExportRepositories(ctx, &vbawsapi.ExportRepositoriesParams{XAPIVersion: s.c.veeam.APIVersion}, accept)
	})
}

// Export streams the list of sessions as CSV or XML.
//
// POST /api/v1/sessions/export (operation ExportSessions)
func (s *SessionsService) Export(ctx context.Context, format ExportFormat) (io.ReadCloser, error) {
	return s.c.export("Sessions.Export", format, func(accept vbawsapi.RequestEditorFn) (*http.Response, error) {
		return s.c.api.ExportSessions(ctx, &vbawsapi.ExportSessionsParams{XAPIVersion: s.c.veeam.APIVersion}, accept)
	})
}

// Export streams the list of EC2 instances as CSV or XML.
//
// POST /api/v1/virtualMachines/export (operation ExportVirtualMachines)
func (s *EC2InstancesService) Export(ctx context.Context, format ExportFormat) (io.ReadCloser, error) {
	return s.c.export("EC2Instances.Export", format, func(accept vbawsapi.RequestEditorFn) (*http.Response, error) {
		return s.c.api.ExportVirtualMachines(ctx, &vbawsapi.ExportVirtualMachinesParams{XAPIVersion: s.c.veeam.APIVersion}, accept)
	})
}

// Export streams the information on the installed license as CSV or XML.
//
// POST /api/v1/licensing/license/export (operation ExportLicense)
func (s *LicensingService) Export(ctx context.Context, format ExportFormat) (io.ReadCloser, error) {
	return s.c.export("Licensing.Export", format, func(accept vbawsapi.RequestEditorFn) (*http.Response, error) {
		return s.c.api.ExportLicense(ctx, &vbawsapi.ExportLicenseParams{XAPIVersion: s.c.veeam.APIVersion}, accept)
	})
}
