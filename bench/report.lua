-- wrk script for bench/run.py.
-- With BENCH_URL_LIST naming a file of paths (one a line), each request asks for a random one of
-- them (article_long_tail_cold: a different article each request); otherwise wrk's own request.
-- At the end, one JSON line with the numbers bench/run.py reads.
local list = os.getenv("BENCH_URL_LIST")

if list then
  local paths = {}
  for line in io.lines(list) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  local seeded = false
  request = function()
    if not seeded then
      -- Each wrk thread has its own Lua state: seed it apart from the others.
      math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
      seeded = true
    end
    return wrk.format(nil, paths[math.random(#paths)])
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), errors))
end
