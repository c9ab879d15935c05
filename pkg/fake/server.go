package fake

import (
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
)

// TLSServer serves a handler over TLS on a loopback port with a
// self-signed certificate, the way an appliance does (clients must trust it
// with option.WithCACert). It is httptest's certificate, the same for every
// in-process fake; cmd/backupsdk-fake generates a fresh one per start.
// Product fakes embed it.
type TLSServer struct {
	srv *httptest.Server
}

// StartTLS starts serving h. Connection-level noise (a handshake cut short
// when a client gives up or the server closes) is not logged: a fake has
// no operator, and tests assert what clients see.
func StartTLS(h http.Handler) *TLSServer {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	return &TLSServer{srv: srv}
}

// URL is the base URL to give a client.
func (s *TLSServer) URL() string { return s.srv.URL }

// CACertPEM is the server's self-signed certificate in PEM, for the
// clients' WithCACert option.
func (s *TLSServer) CACertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.srv.Certificate().Raw})
}

// Close stops the server.
func (s *TLSServer) Close() { s.srv.Close() }
