/*
 * Tiến độ tải lên của biểu mẫu nộp minh chứng (views/task.eta), qua htmx: biểu mẫu có
 * hx-post/hx-encoding nên htmx gửi nó bằng XMLHttpRequest và phát sự kiện htmx:xhr:progress; tệp
 * này chỉ cập nhật thanh <progress> và dòng chữ "Đang tải lên 45%" (lời lấy từ trang, theo ngôn ngữ
 * của trang). Một tệp riêng vì CSP không cho script nội tuyến. Không có JavaScript, biểu mẫu gửi
 * như thường và trang biên nhận hiện ra y như vậy.
 * Upload progress for the evidence form (views/task.eta), through htmx: the form has
 * hx-post/hx-encoding, so htmx sends it with XMLHttpRequest and fires htmx:xhr:progress; this file
 * only moves the <progress> bar and the "Đang tải lên 45%" line (texts from the page, in its
 * language). A file of its own because the CSP allows no inline script. Without JavaScript the
 * form posts as usual and the same receipt page comes back.
 */
(function () {
  'use strict';
  var FORM = 'form[data-upload-progress]';

  function uploadForm(elt) {
    return elt && elt.matches && elt.matches(FORM) ? elt : null;
  }

  /** The element whose request an event is about (htmx sets detail.elt to where it fires the event). */
  function requester(evt) {
    return evt.detail && evt.detail.requestConfig ? evt.detail.requestConfig.elt : evt.target;
  }

  function say(form, pct) {
    var text = pct >= 100 ? form.getAttribute('data-upload-done') : form.getAttribute('data-upload-text');
    return (text || '').replace('{n}', String(pct));
  }

  // Gửi đi: hiện thanh tiến độ từ 0. / Sent: show the bar, from 0.
  document.addEventListener('htmx:beforeSend', function (evt) {
    var form = uploadForm(evt.target);
    if (!form) return;
    var box = form.querySelector('.upload-progress');
    var bar = form.querySelector('.upload-progress progress');
    var line = form.querySelector('.upload-progress-text');
    form.setAttribute('data-upload-pct', '0');
    bar.value = 0;
    line.textContent = say(form, 0);
    box.hidden = false;
  });

  // htmx phát sự kiện này cho cả phần gửi lên lẫn phần tải câu trả lời về: chỉ cho thanh tiến lên,
  // và dòng chữ (đọc cho trình đọc màn hình) chỉ đổi mỗi 10%, không phải mỗi gói tin.
  // htmx fires this for the upload and for the response's download alike: the bar only moves
  // forward, and the line (read out by screen readers) changes every 10%, not with every packet.
  document.addEventListener('htmx:xhr:progress', function (evt) {
    var form = uploadForm(evt.target);
    if (!form || !evt.detail.lengthComputable || !evt.detail.total) return;
    var pct = Math.min(100, Math.floor((evt.detail.loaded / evt.detail.total) * 100));
    var shown = Number(form.getAttribute('data-upload-pct') || '0');
    if (pct <= shown) return;
    form.setAttribute('data-upload-pct', String(pct));
    form.querySelector('.upload-progress progress').value = pct;
    if (pct === 100 || Math.floor(pct / 10) > Math.floor(shown / 10)) form.querySelector('.upload-progress-text').textContent = say(form, pct);
  });

  // Một trang lỗi (tệp quá lớn, thiếu trường, hết phiên) cũng thay vào trang, như khi không có
  // JavaScript; htmx mặc định bỏ qua câu trả lời 4xx/5xx.
  // An error page (file too large, a missing field, an expired session) replaces the page too, as
  // without JavaScript; by default htmx drops 4xx/5xx answers.
  document.addEventListener('htmx:beforeSwap', function (evt) {
    if (!uploadForm(requester(evt)) || evt.detail.xhr.status < 400) return;
    evt.detail.shouldSwap = true;
    evt.detail.isError = false;
  });

  // Không gửi được (mất mạng): nói ra, và để người dùng gửi lại.
  // Not sent at all (network down): say so, and let the user send again.
  document.addEventListener('htmx:sendError', function (evt) {
    var form = uploadForm(requester(evt));
    if (!form) return;
    form.querySelector('.upload-progress-text').textContent = form.getAttribute('data-upload-failed') || '';
  });

  // Biên nhận (hay trang lỗi) đã thay vào: đưa tiêu điểm tới tiêu đề của nó, để trình đọc màn hình
  // đọc ngay trang mới thay vì im lặng ở chỗ nút Nộp vừa biến mất.
  // The receipt (or error page) is in: move focus to its heading, so a screen reader reads the new
  // page rather than staying silent where the Submit button was.
  document.addEventListener('htmx:afterSettle', function (evt) {
    if (!uploadForm(requester(evt))) return;
    var heading = document.querySelector('main h1');
    if (!heading) return;
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  });
})();
