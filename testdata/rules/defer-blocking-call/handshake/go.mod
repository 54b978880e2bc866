module example.com/deferblocking/handshake

go 1.22
