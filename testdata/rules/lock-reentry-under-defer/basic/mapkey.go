package fixture

import "sync"

type params map[string]any

type rpcClient struct {
	tokenMu sync.Mutex
	token   string
	sent    []string
}

// call takes the token from the parameters when they carry one, and asks getToken otherwise.
func (c *rpcClient) call(fn string, p params) error {
	var token string
	if tok, ok := p["token"]; ok {
		token, _ = tok.(string)
	} else {
		t, err := c.getToken()
		if err != nil {
			return err
		}
		token = t
	}
	c.sent = append(c.sent, fn+":"+token)
	return nil
}

// getToken fetches a token with a call that names its own token: call never comes back to
// getToken on this way. No finding.
func (c *rpcClient) getToken() (string, error) {
	c.tokenMu.Lock()
	defer c.tokenMu.Unlock()
	if c.token != "" {
		return c.token, nil
	}
	if err := c.call("getToken", params{"token": "*", "auth": "secret"}); err != nil {
		return "", err
	}
	c.token = "fresh"
	return c.token, nil
}

// refresh holds the token lock and makes a call without a token: call asks getToken, which
// locks tokenMu again.
func (c *rpcClient) refresh() error {
	c.tokenMu.Lock()
	defer c.tokenMu.Unlock()
	c.token = ""
	return c.call("refresh", params{"auth": "secret"}) // want `c\.tokenMu is locked on line \d+ and held until rpcClient\.refresh returns`
}
