package fixture

import (
	"net"
	"strconv"
)

// reservePort holds a free port open until release is called, so that no one else takes it.
func reservePort(host string) (int, func(), error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, nil, err
	}
	return l.Addr().(*net.TCPAddr).Port, func() { _ = l.Close() }, nil
}

// The ports stay reserved until every mapping is chosen: released per iteration, the next
// iteration could be handed the same port.
func publishArgs(host string, containerPorts []int) ([]string, error) {
	var args []string
	for _, cp := range containerPorts {
		port, release, err := reservePort(host)
		if err != nil {
			return nil, err
		}
		defer release()
		binding := net.JoinHostPort(host, strconv.Itoa(port))
		args = append(args, "--publish="+binding+":"+strconv.Itoa(cp))
	}
	return args, nil
}

// Each port is only probed within its iteration; nothing keeps it, yet every reservation
// stays open until the loop ends.
func probePorts(host string, n int, probe func(int) error) error {
	for i := 0; i < n; i++ {
		port, release, err := reservePort(host)
		if err != nil {
			return err
		}
		defer release() // want `released by the deferred release\(\) only when probePorts returns`
		if err := probe(port); err != nil {
			return err
		}
	}
	return nil
}

// Each listener stays open until every port is chosen, so no two of them get the same port.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// Each listener only answers a probe in its own iteration, yet stays open until the loop ends.
func probeListeners(n int, probe func(net.Listener) error) error {
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer l.Close() // want `listener l from net\.Listen on line \d+ stays open until probeListeners returns`
		if err := probe(l); err != nil {
			return err
		}
	}
	return nil
}
