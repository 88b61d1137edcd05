"""The exam timetables at campaign scale (issue 12): see README.md. `make bench-exams-solver`.

A campaign of 450 candidates over 10 exam days with 6 juries and 4 English examiners; some
juries and examiners are there only part of the day, some candidates have extra time from an
approved accommodation. Each day is solved by ``admissions.rules.timetable.build_timetable``
(pure rules: no database, no Django), then checked by ``check_timetable``. One table: day,
candidates, status, solve time, the juries' and the examiners' idle minutes.

Target: every day solved, or its infeasibility explained, in under 10 s per day on 2 cores.
Exit status 0 when the target holds, 1 otherwise. Deterministic: the campaign comes from a
seeded generator and CP-SAT runs with a fixed seed and one worker.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from admissions.rules.timetable import (  # noqa: E402 - after the path is set
    Assessor,
    BookedCandidate,
    Exam,
    ExamDay,
    Outcome,
    Span,
    build_timetable,
    check_timetable,
    workload,
)

TARGET_SECONDS = 10.0
FIRST_DAY = date(2021, 3, 29)  # the exam window of the reference campaign (R6.1)
OPENING = Span(8 * 60 + 30, 17 * 60 + 30)  # 8:30-17:30
LUNCH = Span(12 * 60 + 30, 13 * 60 + 30)  # everybody's break
MORNING = Span(8 * 60 + 30, 12 * 60 + 30)
AFTERNOON = Span(13 * 60 + 30, 17 * 60 + 30)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", type=int, default=450)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--juries", type=int, default=6)
    parser.add_argument("--examiners", type=int, default=4)
    parser.add_argument("--accommodated", type=float, default=0.06, help="share with extra time")
    parser.add_argument("--time-limit", type=float, default=TARGET_SECONDS, help="per day, s")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument(
        "--overloaded-day",
        type=int,
        default=10,
        help="this day loses juries to sickness, to show an explained refusal (0: none)",
    )
    return parser.parse_args()


def assessors(prefix: str, count: int, rng: random.Random) -> tuple[Assessor, ...]:
    """About a third of them is there half a day, or leaves early, or has a private break."""
    people = []
    for number in range(1, count + 1):
        shape = rng.random()
        if shape < 0.15:
            available: tuple[Span, ...] = (MORNING,)
        elif shape < 0.3:
            available = (AFTERNOON,)
        elif shape < 0.4:
            available = (Span(OPENING.start, 15 * 60 + 30),)  # leaves at 15:30
        else:
            available = (OPENING,)
        own_breaks = (Span(10 * 60 + 30, 10 * 60 + 45),) if rng.random() < 0.3 else ()
        people.append(Assessor(f"{prefix} {number}", available, own_breaks))
    return tuple(people)


def candidates(
    first: int, count: int, share: float, rng: random.Random
) -> tuple[BookedCandidate, ...]:
    booked = []
    for number in range(first, first + count):
        if rng.random() < share:  # a third-time accommodation, as R10.4 usually grants
            booked.append(
                BookedCandidate(f"ALT21-{number:04d}", interview_extra=10, english_extra=5)
            )
        else:
            booked.append(BookedCandidate(f"ALT21-{number:04d}"))
    return tuple(booked)


def campaign(args: argparse.Namespace) -> list[ExamDay]:
    rng = random.Random(args.seed)
    per_day, rest = divmod(args.candidates, args.days)
    days, booked = [], 1
    for index in range(args.days):
        count = per_day + (1 if index < rest else 0)
        juries = assessors("Jury", args.juries, rng)
        if index + 1 == args.overloaded_day:
            # Four juries off sick, the two left only in the morning: too few minutes.
            juries = tuple(Assessor(j.id, (MORNING,)) for j in juries[:2])
        days.append(
            ExamDay(
                day=FIRST_DAY + timedelta(days=index + 2 * (index // 5)),  # weekdays
                opening=OPENING,
                breaks=(LUNCH,),
                juries=juries,
                examiners=assessors("Examinateur", args.examiners, rng),
                candidates=candidates(booked, count, args.accommodated, rng),
            )
        )
        booked += count
    return days


def main() -> int:
    args = arguments()
    print(
        f"{args.candidates} candidates, {args.days} days, {args.juries} juries, "
        f"{args.examiners} examiners; time limit {args.time_limit:g} s per day; "
        f"{os.cpu_count()} cores; load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    header = (
        "| day | candidates | extra time | status | solve s | total s | cpu s | juries idle min | "
        "examiners idle min | day ends |"
    )
    print(header)
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---|")
    ok = True
    for exam_day in campaign(args):
        began, cpu_began = time.perf_counter(), time.process_time()
        result = build_timetable(exam_day, time_limit_seconds=args.time_limit)
        total, cpu = time.perf_counter() - began, time.process_time() - cpu_began
        extra = sum(1 for c in exam_day.candidates if c.interview_extra or c.english_extra)
        if result.solved:
            faults = check_timetable(exam_day, result.appointments)
            loads = workload(exam_day, result.appointments)
            jury_idle = sum(x.idle for x in loads if x.exam is Exam.INTERVIEW)
            examiner_idle = sum(x.idle for x in loads if x.exam is Exam.ENGLISH)
            ends = max(s.end for s in result.slots)
            status = ("optimal" if result.optimal else "solved") + (
                f", {len(faults)} FAULTS" if faults else ""
            )
            ok &= not faults
            idle = (str(jury_idle), str(examiner_idle), f"{ends // 60}:{ends % 60:02d}")
        else:
            status = result.outcome.value
            ok &= result.outcome is Outcome.INFEASIBLE and bool(result.reasons)
            idle = ("-", "-", "-")
        ok &= total < TARGET_SECONDS
        print(
            f"| {exam_day.day.isoformat()} | {len(exam_day.candidates)} | {extra} | {status} | "
            f"{result.solve_seconds:.2f} | {total:.2f} | {cpu:.2f} | {' | '.join(idle)} |"
        )
        for reason in result.reasons:
            print(f"|   | | | {reason.code}: {reason.en} | | | | | | |")
    print(
        f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"target (every day solved or explained, < {TARGET_SECONDS:g} s): "
        f"{'met' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
