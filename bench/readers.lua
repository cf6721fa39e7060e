-- wrk: every request from a reader of its own, as a trusted proxy on this machine
-- forwards it. cangxanh counts a view once per reader (client address and browser)
-- in a window, so a load test that wants every view counted sends each request with
-- an X-Forwarded-For no other request uses, from the documentation prefix:
-- 2001:db8:<run, 32 bits>:<thread>:<request, 32 bits>:1. The run's number is the
-- argument after the URL (`wrk ... -s bench/readers.lua URL 7`); readers.new_run()
-- gives each wrk run its own.

local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("thread_number", threads)
end

function init(args)
   run = tonumber(args[1]) or 0
   sent = 0
end

function request()
   sent = sent + 1
   wrk.headers["X-Forwarded-For"] = string.format(
      "2001:db8:%x:%x:%x:%x:%x:1",
      math.floor(run / 65536) % 65536, run % 65536, thread_number,
      math.floor(sent / 65536) % 65536, sent % 65536)
   return wrk.format()
end
