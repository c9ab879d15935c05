// Package fake is the engine of backupsdk's in-memory fake servers: it routes
// requests by the operations of an OpenAPI spec, validates every request and
// every response against that spec with kin-openapi, and hands valid requests
// to per-operation handlers. A request that breaks the spec is answered with
// the product's error body and recorded; a response that breaks it is
// replaced by a 500 and recorded, so tests fail loudly. Product fakes (for
// example fake/vbawsfake) register handlers and keep state.
//
// To test code that uses a backupsdk client, start a product fake rather than
// this engine: vbawsfake, vbgcfake, vbemfake or ibmfake. They embed *Engine,
// so the checks below are available on each of them:
//
//	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "pw"))
//	if err != nil {
//		t.Fatal(err)
//	}
//	defer srv.Close()
//	srv.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
//	// ... exercise the client against srv.URL() ...
//	if n := srv.Calls()["AmazonOrganizationsGetAll"]; n != 1 {
//		t.Errorf("listed %d times", n)
//	}
//
// The engine is also how a new product fake is built. New compiles the spec
// (once per process) and takes the product's ErrorWriter; SetAuthenticator
// guards the operations the spec secures; Serve registers the stateful
// handlers and answers every other operation with the spec's examples
// (ExampleHandler, Synthesize). Handlers get the path parameters, the body
// and the authenticated principal in an *Input; Input.Respond writes JSON or
// XML as the request asks, XML bodies are checked for element order, and
// HandleStream lets a large download through without buffering. StartTLS
// serves a handler on a loopback port with a self-signed certificate, the way
// an appliance does; CACertPEM gives the clients' WithCACert option what it
// needs.
//
// Calls counts every routed request. Coverage counts, per operation, the
// successes a contract coverage gate may trust: authenticated, spec-valid
// requests answered 2xx, validly, by a stateful handler; the answers taken
// from the spec's examples and those to requests sent through a client's
// Raw() (RawCall: the SDK marks them in its User-Agent) are counted apart.
package fake
