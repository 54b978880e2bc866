package loopvar

type counter struct{ n int }

func (c *counter) bump() { c.n++ }

func record(p *int) { *p++ }

// The header assigns i, declared outside the loop: one i for every iteration.
func recordOutside(n int) {
	var i int
	for i = 0; i < n; i++ {
		defer record(&i) // want `the deferred call is given &i, but the loop on line 12 assigns i, a variable declared outside it`
	}
}

// ---- not flagged ----

// From go1.22 each iteration has its own c.
func bumpAll(cs []counter) {
	for _, c := range cs {
		defer c.bump()
		go record(&c.n)
	}
}
