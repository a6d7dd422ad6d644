"""Celery task of the precomputed figures: the nightly rebuild (schedule: migration 0002)."""

from celery import shared_task

from indicators import figures


@shared_task(name="indicators.rebuild_figures")
def rebuild_figures_task() -> dict:
    """Recompute every kept figure of the programme's years from the records (a new year is
    added on its first night) and report the drift corrected: rows that differed from the
    records, which means a write path that does not keep them (logged as a warning)."""
    result = figures.rebuild()
    return {"years": result.years, "cells": result.cells, "rows": result.rows, "drift": len(result.drift)}
