module example.com/tcpproxylb

go 1.21
