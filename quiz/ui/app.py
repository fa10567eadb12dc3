"""The Textual app. `make_app` builds it the same way for the command line and for the tests."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import ClassVar, Literal

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from quiz.core.exams import Exam
from quiz.core.progress import ProgressStore, StoreError
from quiz.core.schedulers import Scheduler
from quiz.core.session import Limits, Session, next_due
from quiz.core.session import unseen as count_unseen
from quiz.core.text import one_line, visible
from quiz.services import clock, collector
from quiz.services.context import Context
from quiz.services.exams import with_exams
from quiz.services.scheduling import Chooser, scheduler_for
from quiz.services.settings import Settings, save, settings_path
from quiz.ui.screens.decks import DeckListScreen, count
from quiz.ui.screens.help import SCREEN_BASE_ACTIONS, HelpScreen, key_rows
from quiz.ui.screens.review import ReviewScreen
from quiz.ui.screens.summary import day_name

Start = Literal["decks", "study", "practice"]
DEFAULT_THEME = Settings().theme
SCREEN_NAMES = {DeckListScreen: "Decks", ReviewScreen: "Session"}


class QuizApp(App[None]):
    """Decks, sessions, summary, help and settings over one Context and one progress store.

    The app never opens or closes the store: whoever made it (the CLI, a test) does. The
    settings are the Context's (`ctx.settings`): the settings screen and the theme replace them
    there, and everyone reads them there.
    """

    CSS_PATH = "app.tcss"
    TITLE = "quiz"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("f1", "help", "Help", show=False),
        Binding("comma", "settings", "Settings", key_display=",", show=False),
    ]

    def __init__(
        self,
        ctx: Context,
        store: ProgressStore,
        *,
        start: Start = "decks",
        deck_ids: Sequence[str] | None = None,
        tags: Sequence[str] = (),
        scheduler: Scheduler | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.store = store
        notices: list[str] = []
        if scheduler is None:
            scheduler, notices = scheduler_for(ctx.settings, ctx.data_dir)
            scheduler, problems = with_exams(scheduler, ctx.data_dir, ctx.items())
            notices += problems
        self.scheduler: Scheduler = scheduler
        self._chooser: Chooser | None = None
        """What answers do to the cards' schedules (the `scheduler` setting)."""
        self._start = start
        self._start_decks = list(deck_ids) if deck_ids is not None else None
        self._start_tags = list(tags)
        self._theme_applied = False
        self._signals: list[int] = []
        self._leaving = False
        self._deck_folders: dict[str, Path] | None = None
        self.stopwatch: Callable[[], float] = time.monotonic
        """Times each answer (seconds); tests replace it to make the summary's times fixed."""
        self.notices = [*ctx.notices, *notices, *store.notices]
        """Problems to tell the user, and what the store repaired by itself when it opened:
        shown on the deck list and once as a notification."""
        if ctx.settings.theme not in self.available_themes:
            self.notices.append(self._unknown_theme(ctx.settings.theme))

    @property
    def pictures(self) -> bool:
        """Whether cards' pictures are drawn (the `pictures` setting)."""
        return self.ctx.settings.pictures

    def deck_folder(self, deck_id: str) -> Path | None:
        """The folder of a loaded deck's file (its pictures' paths start there)."""
        folders = self._deck_folders
        if folders is None:
            folders = self._deck_folders = {
                deck.id: deck.path.parent for deck in self.ctx.decks if deck.path is not None
            }
        return folders.get(deck_id)

    @property
    def limits(self) -> Limits:
        settings = self.ctx.settings
        return Limits(settings.new_per_day, settings.reviews_per_day)

    def get_default_screen(self) -> Screen[None]:
        return DeckListScreen(deferred=self._start != "decks")

    def on_mount(self) -> None:
        self._catch_signals()
        self._apply_theme(self.ctx.settings.theme)
        if self._start != "decks":
            practice = self._start == "practice"
            self.start_session(self._start_decks, self._start_tags, practice=practice)
        self.call_after_refresh(self._started)

    def _catch_signals(self) -> None:
        """SIGTERM and SIGHUP (the terminal closed) leave as `ctrl+q` does: the answer on
        screen saved, the terminal restored (alternate screen and mouse tracking off)."""
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for name in ("SIGTERM", "SIGHUP"):
                number = getattr(signal, name, None)
                if number is not None:
                    loop.add_signal_handler(number, self._signalled)
                    self._signals.append(number)

    def _signalled(self) -> None:
        self.save_pending()
        self._leaving = True
        self.exit(return_code=1)

    def on_unmount(self) -> None:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for number in self._signals:
                loop.remove_signal_handler(number)

    def save_pending(self) -> bool:
        """Save an answer marked but not yet graded on any session screen; False if one
        could not be saved (the reason is on screen)."""
        return all(
            screen.save_pending() is not False
            for screen in self.screen_stack
            if isinstance(screen, ReviewScreen)
        )

    async def action_quit(self) -> None:
        """Quit (`ctrl+q`): the answer on screen is saved first, as `q` saves it."""
        if self.save_pending():
            self._leaving = True  # a key pressed meanwhile starts nothing
            self.exit()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast: its text, which may hold a file's (a deck's title, a path, a
        message naming a card), made visible (quiz.core.text) and never read as markup."""
        super().notify(
            visible(message), title=one_line(title), severity=severity, timeout=timeout,
            markup=False,
        )  # fmt: skip

    def _started(self) -> None:
        """The first screen is drawn: tell the notices, and collect a moment later."""
        self._show_notices()
        # A moment after the first card's frame: a large collection holds the GIL, which
        # Textual's writer thread needs to put the frame on the terminal.
        self.set_timer(0.05, self._collect)

    def _collect(self) -> None:
        """Freeze what the start made, and collect again (the command line turns collection
        off while it loads decks and progress): `collector.settle`."""
        collector.settle()

    def prepare_statistics(self) -> None:
        """Import the statistics screen and keep each deck's item keys by tag
        (`Deck.item_keys`: no deck changes while quiz runs, so they are made once, as the
        import is done once). The deck list asks for it each time it is drawn, where `t`
        opens the statistics. Done here, it is off the first opening of the statistics,
        which reads its figures in a thread while the screen is drawn, this work then
        competing with the drawing."""
        import quiz.ui.screens.stats  # noqa: F401 - its first import, here

        for deck in self.ctx.decks:
            deck.item_keys()

    def _show_notices(self) -> None:
        for notice in self.notices:
            self.notify(notice, title="Please note", severity="warning", markup=False, timeout=10)

    # --- sessions ---

    def start_session(
        self, deck_ids: Sequence[str] | None, tags: Sequence[str], *, practice: bool
    ) -> bool:
        """Open a review screen over the chosen decks; say why not if there is nothing to do.

        A study session (not practice) starts with a backup of the progress files.
        """
        if self._leaving:
            return False  # `q` then `a` at once: the app is closing
        items = self.ctx.items(deck_ids, tags)
        session = Session(
            items,
            self.store,
            self.ctx.today,
            limits=self.limits,
            practice=practice,
            scheduler=self.scheduler,
        )
        if session.finished:
            self.notify(self.study_status(deck_ids, tags), markup=False, timeout=8)
            return False
        if not practice:
            self._back_up(self.store)
        self.push_screen(ReviewScreen(session))
        return True

    def _back_up(self, store: ProgressStore) -> None:
        """Back up the progress files in a thread: with a long history the copy takes a
        while (0.1 s at 100,000 answers, 1 s at a million), and the first card need not wait.
        An answer given before the copy is made waits for it (`ProgressStore.backup`); a store
        in memory has nothing to copy."""
        now = clock.now()

        def copy() -> None:
            try:
                store.back_up(now)
            except StoreError as exc:
                with contextlib.suppress(RuntimeError):  # the app has already closed
                    self.call_from_thread(
                        self.notify, str(exc), title="No backup", severity="warning", markup=False
                    )

        self.run_worker(copy, name="backup", group="backup", thread=True, exit_on_error=False)

    def study_status(
        self, deck_ids: Sequence[str] | None, tags: Sequence[str], title: str | None = None
    ) -> str:
        """What studying these decks would do today, and what to do if there is nothing."""
        name = title or ("All decks" if deck_ids is None else ", ".join(deck_ids))
        items = self.ctx.items(deck_ids, tags)
        if not items:
            tagged = f" tagged {' and '.join(tags)}" if tags else ""
            return f"{name}: no cards{tagged}. Clear the tag filter (/) or choose another deck."
        counts = count(items, self.store, self.ctx.today, self.limits)
        if counts.new or counts.due:
            return (
                f"{name}: {counts.new} new and {counts.due} due today."
                " Enter studies it, a studies every deck, p practises."
            )
        upcoming = next_due(items, self.store, self.ctx.today)
        when = (
            f"Next review: {day_name(upcoming[0])} ({upcoming[1]} cards)."
            if upcoming
            else "No reviews scheduled."
        )
        unseen = count_unseen(items, self.store)
        limit = (
            f" {unseen} new cards wait for tomorrow (new cards a day: settings, key ,)."
            if unseen
            else ""
        )
        return f"Nothing due today. {when}{limit} Press p to practise anyway."

    def show_statistics(self, deck_id: str | None) -> None:
        """The statistics screen; a tag chosen there starts a session on it."""
        from quiz.ui.screens.stats import StatsScreen  # not needed until asked for

        if self._leaving:
            return  # `q` then `t` at once: the app is closing

        def chosen(tag: str | None) -> None:
            if tag:
                self.start_session([deck_id] if deck_id else None, [tag], practice=False)

        self.push_screen(StatsScreen(self.ctx, self.store, deck_id), chosen)

    def skipped_lines(self) -> list[str]:
        """One line per deck that failed to load: its first error."""
        return [str(skipped.errors[0]) for skipped in self.ctx.skipped if skipped.errors]

    def set_exam(self, covers: tuple[Sequence[str], Sequence[str]]) -> None:
        """The exam dialog, its decks and tags fields starting with `covers`; saving (or
        removing) an exam recomputes the states under the new exam rules, and the deck list
        shows the figures."""
        from quiz.ui.screens.exam import ExamScreen  # not needed until asked for

        if self._leaving or isinstance(self.screen, ExamScreen):
            return
        ctx = self.ctx
        screen = ExamScreen(
            self.store,
            self.scheduler,
            ctx.data_dir,
            ctx.today,
            ctx.items(),
            [deck.id for deck in ctx.decks],
            ctx.study_tags(),
            covers,
        )

        def saved(exam: Exam | None) -> None:
            self.scheduler = screen.scheduler  # the same unless the exams changed
            if exam is not None:
                self.notify(
                    f'Exam "{exam.name}" set for {exam.day.isoformat()}.', markup=False, timeout=6
                )
            if isinstance(self.screen, DeckListScreen):
                self.screen.refresh_counts()

        self.push_screen(screen, saved)

    # --- help, settings, theme ---

    def action_help(self) -> None:
        screen = self.screen
        if self._leaving or isinstance(screen, HelpScreen):
            return
        describe: Callable[[str], str] | None = None
        if isinstance(screen, ReviewScreen):
            grades = screen.grade_help()
            describe = lambda text: f"Grade: {grades}" if text == "Grade" else text  # noqa: E731
        title = SCREEN_NAMES.get(type(screen), type(screen).__name__.removesuffix("Screen"))
        self.push_screen(HelpScreen(title, key_rows(screen, self, describe)))

    def action_settings(self) -> None:
        from quiz.ui.screens.settings import SettingsScreen  # not needed until asked for

        if self._leaving or isinstance(self.screen, SettingsScreen):
            return
        path = settings_path(self.ctx.data_dir)
        themes = [name for name in self.available_themes if name != "textual-ansi"]
        chooser = Chooser(self.store, self.scheduler, self.ctx.data_dir, self.ctx.today)
        self._chooser = chooser
        self.push_screen(
            SettingsScreen(self.ctx.settings, path, themes, chooser), self._settings_saved
        )

    def _settings_saved(self, settings: Settings | None) -> None:
        if settings is None:
            return
        day_changed = settings.day_starts_at != self.ctx.settings.day_starts_at
        switched = self._chooser is not None and self._chooser.current is not self.scheduler
        if self._chooser is not None:
            self.scheduler = self._chooser.current
        self.ctx.settings = settings
        self._apply_theme(settings.theme)
        later = " The new start of day applies the next time quiz starts." if day_changed else ""
        if switched:
            later += f" Cards are now scheduled by {self.scheduler.name}, recomputed from your log."
        self.notify(f"Settings saved.{later}", markup=False, timeout=4)
        screen = self.screen
        if isinstance(screen, DeckListScreen):
            screen.refresh_counts()
        elif isinstance(screen, ReviewScreen):
            screen.session.scheduler = self.scheduler  # the next answer is scheduled by it
            self.call_later(screen.settings_changed)

    def _apply_theme(self, name: str) -> None:
        self.theme = name if name in self.available_themes else DEFAULT_THEME
        self._theme_applied = True

    def _unknown_theme(self, name: str) -> str:
        return (
            f'{settings_path(self.ctx.data_dir)}: theme "{name}" is not a theme quiz knows;'
            f" using {DEFAULT_THEME}. Choose one in settings (key ,)."
        )

    def watch_theme(self, name: str) -> None:
        """Keep a theme chosen from the command palette for next time."""
        if not self._theme_applied or name == self.ctx.settings.theme:
            return
        self.ctx.settings = replace(self.ctx.settings, theme=name)
        try:
            save(settings_path(self.ctx.data_dir), self.ctx.settings)
        except OSError as exc:
            self.notify(f"Theme not saved: {exc}", severity="warning", markup=False)

    # --- the command palette ---

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands, then every action the screen's keys can do right now."""
        titles = set()
        for command in super().get_system_commands(screen):
            titles.add(command.title)
            yield command
        grade_names = (
            {g.key: f"{g.key} {g.label}" for g in screen.grades}
            if isinstance(screen, ReviewScreen)
            else {}
        )
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not active.enabled or binding.action in SCREEN_BASE_ACTIONS:
                continue
            if not (binding.show or isinstance(active.node, Screen | App)):
                continue
            title = binding.tooltip or binding.description or binding.action
            if binding.action.startswith("grade("):
                title = f"Grade: {grade_names.get(key, key)}"
            if title in titles:
                continue
            titles.add(title)
            action = partial(self.run_action, binding.action, active.node)
            yield SystemCommand(title, f"Key: {self.get_key_display(binding)}", action)


def make_app(
    ctx: Context,
    store: ProgressStore,
    *,
    start: Start = "decks",
    deck_ids: list[str] | None = None,
    tags: Sequence[str] = (),
    scheduler: Scheduler | None = None,
) -> QuizApp:
    """Build the app over a Context and an open progress store.

    Args:
        ctx: folders, settings, today and the loaded decks.
        store: the open progress store; the caller closes it after the app exits.
        start: "decks" shows the deck list; "study" and "practice" go straight into a session
            over `deck_ids` (all decks if None) and `tags`, with the deck list behind it.
        deck_ids: the decks to study, for `start` "study" or "practice".
        tags: only cards carrying every one of these tags.
        scheduler: the scheduler the store's states are computed under (default: the one
            the settings choose).
    """
    if ctx.settings.pictures and any(deck.pictures for deck in ctx.decks):
        from quiz.ui.widgets.picture import prepare

        prepare(True)  # asks the terminal what it draws: before the app starts
    return QuizApp(ctx, store, start=start, deck_ids=deck_ids, tags=tags, scheduler=scheduler)
