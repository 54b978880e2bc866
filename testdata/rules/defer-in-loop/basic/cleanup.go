package fixture

import "errors"

type testServer struct{ addr string }

func startServer(i int) (*testServer, func(), error) {
	if i < 0 {
		return nil, nil, errors.New("bad index")
	}
	return &testServer{addr: "127.0.0.1"}, func() {}, nil
}

func ping(s *testServer) error { return nil }

// The servers are used after the loop: each cleanup is meant to run when the function returns.
func pingAll(n int) error {
	var servers []*testServer
	for i := 0; i < n; i++ {
		srv, cleanup, err := startServer(i)
		if err != nil {
			return err
		}
		defer cleanup()
		servers = append(servers, srv)
	}
	for _, s := range servers {
		if err := ping(s); err != nil {
			return err
		}
	}
	return nil
}

// Each server is used only in its iteration: its cleanup piles up until return.
func pingEach(n int) error {
	for i := 0; i < n; i++ {
		srv, cleanup, err := startServer(i)
		if err != nil {
			return err
		}
		defer cleanup() // want `the deferred cleanup\(\) runs only when pingEach returns|cleanup from .*startServer on line 38`
		if err := ping(srv); err != nil {
			return err
		}
	}
	return nil
}
