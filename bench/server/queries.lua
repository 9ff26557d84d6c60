-- wrk script: each request is keel's query for the next line of bench-queries.txt
-- ("<commitPrefix7> <buildNumber>"), as keel sends it: commitId, buildNumber and the four
-- completion statuses joined by ", " and percent-encoded.
--
-- With BENCH_VERIFY=1 every answer is checked (200 and not an empty list); that costs wrk
-- time on the same cores, so the figures are taken without it.
local statuses = "INCOMPLETE%2C%20SUCCEEDED%2C%20FAILED%2C%20ABORTED"
local paths = {}
local index = 0
local threads = {}
wrong = 0

local file = assert(io.open(os.getenv("BENCH_QUERIES"), "r"))
for line in file:lines() do
  local commit, number = line:match("^(%x+)%s+(%d+)")
  if commit then
    paths[#paths + 1] = "/ci/builds?commitId=" .. commit .. "&buildNumber=" .. number
      .. "&completionStatus=" .. statuses
  end
end
file:close()
assert(#paths > 0, "no queries in " .. os.getenv("BENCH_QUERIES"))

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  -- Threads start at different places in the list.
  index = math.random(#paths)
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

if os.getenv("BENCH_VERIFY") == "1" then
  function response(status, headers, body)
    if status ~= 200 or body == "[]" then
      wrong = wrong + 1
    end
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("wrong")
  end
  io.write(string.format("bench: %d queries rotated", #paths))
  if os.getenv("BENCH_VERIFY") == "1" then
    io.write(string.format(", %d wrong answers (not 200, or an empty list)", total))
  end
  io.write("\n")
end
