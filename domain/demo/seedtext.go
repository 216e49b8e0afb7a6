package demo

// The paragraphs below are copied from the seed plan (testdata/ke-hoach-chuyen-hoa-2024.vi.txt) exactly as the
// seed prints them (OCR slips included; a paragraph split by a page break is joined, and the markdown
// emphasis of the copy is dropped). Corrections() lists the fixes applied when the plan is built, and
// TestSeedTextIsVerbatim checks every paragraph against that copy.

import "chuyenhoa/domain"

// seedPreamble is the opening paragraph of the seed plan.
const seedPreamble = "Thực hiện Quyết định số 301/QĐ-BCĐ ngày 07/2/2024 của Ban Chỉ đạo phòng chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc (viết tắt là Ban Chỉ đạo) tỉnh Bắc Giang về việc phê duyệt địa bàn trọng điểm, phức tạp về TTATXH thực hiện chuyển hóa trong năm 2024, Công văn số 584/CAT-TM, ngày 23/02/2024 của Công an tỉnh Bắc Giang về thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về TTATXH năm 2024, Ban Chỉ đạo thị xã Việt Yên xây dựng kế hoạch thực hiện như sau:"

// seedObjectives are the four items of "I. MỤC TIÊU, YÊU CẦU", without their numbers.
var seedObjectives = [...]string{
	"Xác định công tác chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội là một trong những nhiệm vụ trọng tâm của công tác Công an. Tăng cường sự lãnh đạo, chỉ đạo của cấp ủy Đảng, chính quyền, huy động mọi nguồn lực và phát huy sức mạnh tổng hợp của cả hệ thống chính trị và toàn dân trong việc phòng ngừa, phát hiện đấu tranh với các loại tội phạm, góp phần tạo môi trường lành mạnh, ổn định để phát triển kinh tế - văn hóa - xã hội trên địa bàn thị xã.",
	"Tuyên truyền giáo dục sâu rộng nâng cao ý thức, nhận thức của cán bộ, nhân dân trên địa bàn thị xã trong phòng chống tội phạm trong Nhân dân; tăng cường công tác quản lý giáo dục, cảm hóa người chấp hành xong án phạt tù, đảm bảo các hoạt động quản lý nhà nước về an ninh, trật tự được thực hiện tốt, chủ động phòng ngừa tội phạm ngay từ cơ sở.",
	"Triển khai đồng bộ các biện pháp tấn công trấn áp tội phạm tiến tới làm giảm tội phạm và các loại tội phạm do nguyên nhân xã hội nhất là tội phạm ma túy và tệ nạn xã hội. Không để hình thành các điểm, tụ điểm phức tạp về TTATXH.",
	"Chỉ đạo thực hiện chuyển hóa thành công ra khỏi diện trọng điểm phức tạp về TTATXH đối với phường Nénh trong năm 2024",
}

// seedCriteria are the seven items of "3. Tiêu chí xác định địa bàn chuyển hóa thành công".
var seedCriteria = [...]string{
	"100% thông tin, phản ánh, tố giác tội phạm trên địa bàn được tiếp nhận, xử lý.",
	"Hệ thống chính trị được kiên toàn, hoạt động hiệu quả, vững mạnh, đoàn kết.",
	"Xây dựng và củng cố ít nhất 01 mô hình vận động nhân dân tham gia phòng, chống tội phạm, bảo vệ an ninh, trật tự theo hướng tự quản, tự phòng, tự bảo vệ, tự hòa giải, hoạt động hiệu quả; xây dựng và duy trì thực hiện các nội quy, quy tắc nếp sống cộng đồng văn minh, tiến bộ.",
	"100% các hộ dân tại địa bàn được phổ biến, tuyên truyền về công tác phòng, chống tội phạm và vi phạm pháp luật.",
	"Địa bàn không có dấu hiệu hoạt động của tội phạm có tổ chức hoạt động theo kiểu “xã hội đen”; tỷ lệ điều tra, khám phá tội phạm đạt từ 80% trở lên, các tội phạm rất nghiêm trọng, đặc biệt nghiêm trọng đạt 95% trở lên trong tổng số án khởi tố.",
	"Tỷ lệ tái phạm tội trong số người chấp hành xong án phạt tù và đặc xá về cư trú tại địa bàn dưới 15%.",
	"Giảm tội phạm và tệ nạn xã hội: Số vụ phạm pháp hình sự, tệ nạn xã hội giảm so với trước khi chuyển hóa phải đạt tỷ lệ giảm ít nhất 10%.",
}

// seedRecipients is the "Nơi nhận" list.
var seedRecipients = [...]string{
	"Thường trực BCD tỉnh- CAT",
	"Thường trực Thị ủy",
	"Thường trực HĐND",
	"Chủ tịch, các PCT UBND",
	"Các cơ quan: Công an, Tòa án, VKS",
	"Các thành viên BCD thị xã",
	"Các cơ quan, đơn vị thuộc UBND",
	"Đảng ủy, UBND, BCD phường Nénh",
	"Lưu: VT, CA",
}

// seedTasks are the measures of sections 2.1–2.3 and of "III. TỔ CHỨC THỰC HIỆN", one per bullet.
// Title, responsible, frequency and due are ours (titles summarise the bullet; due dates turn "trước
// ngày X" into the last day on time, X−1); text is the seed's, one paragraph per line.
var seedTasks = [...]seedTask{
	{
		section:     domain.SectionLeadership,
		title:       "Lồng ghép lãnh đạo, chỉ đạo công tác chuyển hóa vào chỉ thị, nghị quyết, chương trình hành động",
		responsible: "Ban Chỉ đạo thị xã Việt Yên",
		text: []string{
			"Tăng cường lãnh đạo, chỉ đạo thực hiện công tác phòng, chống tội phạm; lồng ghép nội dung lãnh đạo, chỉ đạo công tác chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội vào trong nội dung chỉ thị, nghị quyết, chương trình hành động để tổ chức thực hiện.",
		},
	},
	{
		section:     domain.SectionLeadership,
		title:       "Chỉ đạo thực hiện nghiêm các nghị quyết, chỉ thị, kết luận về bảo đảm an ninh, trật tự",
		responsible: "Ban Chỉ đạo thị xã Việt Yên",
		text: []string{
			"Chỉ đạo thực hiện nghiêm túc hiệu quả Nghị quyết Đại hội Đảng bộ các cấp nhiệm kỳ 2020-2025; Chỉ thị số 46-CT/TW ngày 22/06/2015 của Bộ Chính trị về \"Tăng cường sự lãnh đạo của Đảng đối với công tác bảo đảm an ninh, trật tự trong tình hình mới\"; Kết luận số 05-KL/TW, Chỉ thị số 48-CT/TW, Chiến lược quốc gia PCTP giai đoạn 2016-2025 tầm nhìn đến năm 2030; Nghị quyết số 148-NQ/TU ngày 20/10/2016, Chỉ thị số 11-CT/TU ngày 26/12/2017 của Ban Thường vụ Tỉnh ủy về \"Tăng cường bảo đảm trật tự an toàn xã hội trên địa bàn tỉnh; Chỉ thị số 18-CT/TU ngày 28/4/2020 của Ban Thường vụ Tỉnh ủy về \"Nâng cao chất lượng công tác tiếp nhận, giải quyết tố giác, tin báo về tội phạm và kiến nghị khởi tố\"; Công văn 584/CAT-TM, ngày 23/02/2024 của Công an tỉnh Bắc Giang về thực hiện Công tác chuyển hóa địa bàn trọng điểm, phức tạp về TTATXH năm 2024...",
		},
	},
	{
		section:     domain.SectionLeadership,
		title:       "Chỉ đạo trực tiếp, toàn diện Ban Chỉ đạo phường Nếnh bảo đảm các tiêu chí chuyển hóa năm 2024",
		responsible: "Ban Chỉ đạo thị xã Việt Yên",
		due:         "2024-12-31",
		text: []string{
			"Chỉ đạo trực tiếp, toàn diện Ban Chỉ đạo phường Nénh để triển khai thực hiện bảo đảm các tiêu chí đưa ra khỏi địa bàn trọng điểm, phức tạp về TTATXH năm 2024. Tăng cường chỉ đạo các cơ quan, ban, ngành, BCD xã, phường tăng cường công tác tuyên truyền, phổ biến giáo dục pháp luật, nâng cao nhận thức của nhân dân, tăng cường công tác đấu tranh, phòng, chống các loại tội phạm trên địa bàn; đẩy mạnh công tác XDPT và hiệu quả hoạt của các mô hình tự quản trong công tác bảo đảm an ninh trật tự cơ sở.",
		},
	},
	{
		section:     domain.SectionLeadership,
		title:       "Xây dựng kế hoạch chuyển hóa; định kỳ đánh giá kết quả thực hiện",
		responsible: "Ban Chỉ đạo thị xã Việt Yên",
		frequency:   "hàng tháng, quý, 06 tháng",
		text: []string{
			"Xây dựng kế hoạch thực hiện chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội phù hợp với đặc điểm tình hình địa bàn. Định kỳ tổ chức đánh giá kết quả thực hiện hàng tháng, quý, 06 tháng, kịp thời phát hiện và khắc phục những tồn tại, yếu kém để bổ sung, điều chỉnh kế hoạch phù hợp.",
		},
	},
	{
		section:     domain.SectionLeadership,
		title:       "Kiểm tra, hướng dẫn, đôn đốc cơ sở; sơ kết, nhân rộng cách làm hay",
		responsible: "Ban Chỉ đạo thị xã Việt Yên",
		frequency:   "định kỳ",
		text: []string{
			"Tổ chức kiểm tra, hướng dẫn, đôn đốc địa bàn cơ sở thực hiện; định kỳ tiến hành sơ kết, đánh giá, rút kinh nghiệm nhân rộng những cách làm hay, hiệu quả tại địa bàn cơ sở.",
		},
	},
	{
		section:     domain.SectionPrevention,
		title:       "Đổi mới, đẩy mạnh tuyên truyền, vận động nhân dân phòng, chống tội phạm và tệ nạn xã hội",
		responsible: "Các ban, ngành có liên quan",
		text: []string{
			"Đổi mới, đẩy mạnh công tác tuyên truyền, thực hiện có hiệu quả các chương trình phối hợp giữa các ban, ngành có liên quan về tuyên truyền vận động nhân dân tham gia phòng, chống tội phạm và bài trừ tệ nạn xã hội, trọng tâm là chương trình phòng chống tội phạm, phòng chống ma túy của Chính phủ.",
		},
	},
	{
		section:     domain.SectionPrevention,
		title:       "Tuyên truyền trên phương tiện thông tin đại chúng, mạng xã hội; nhân rộng các mô hình tự quản",
		responsible: "Ban Chỉ đạo thị xã Việt Yên",
		text: []string{
			"Tăng cường công tác tuyên truyền trên các phương tiện thông tin đại chúng, hệ thống truyền thanh về phương thức, thủ đoạn hoạt động của các loại tội phạm, nguyên nhân, điều kiện phát sinh tội phạm, kỹ năng phòng ngừa, phát hiện, ngăn chặn tội phạm để nhân dân cảnh giác, chủ động phòng chống và hỗ trợ các lực lượng chức năng đấu tranh, xử lý tội phạm và tệ nạn xã hội. Tăng cường hiệu quả việc sử dụng các ứng dụng mạng xã hội (Zalo, Facebook...) vào công tác phòng, chống tội phạm. Nâng cao hiệu quả công tác phát động phong trào toàn dân bảo vệ ANTT, nhất là tiếp tục xây dựng, củng cố, nhân rộng mô hình, tổ chức quần chúng tham gia bảo vệ an ninh trật tự tại cơ sở nhất là hiệu quả của mô hình “Tổ liên gia nhà trọ tự quản về ANTT và PCCC”; “Tổ liên gia camera an ninh”; mô hình “Dân vận khéo”; “Tổ liên gia phòng cháy chữa cháy” tại cơ sở hoạt động hiệu quả.",
		},
	},
	{
		section:     domain.SectionPrevention,
		title:       "Quản lý, giáo dục, giúp đỡ người chấp hành xong án phạt tù tái hòa nhập cộng đồng",
		responsible: "Các tổ chức đoàn thể, cấp ủy, chính quyền",
		text: []string{
			"Thực hiện các biện pháp đảm bảo tái hòa nhập cộng đồng đối với người chấp hành xong án phạt tù. Phân công các tổ chức đoàn thể, cán bộ, hội viên, đoàn viên trực tiếp tham gia phối hợp cùng cấp ủy, chính quyền và gia đình để quản lý, giáo dục, giúp đỡ người có hoàn cảnh đặc biệt khó khăn, số đối tượng có nguy cơ phạm tội cao, người lầm lỗi, người được đặc xá, tha tù trở về địa phương tái hòa nhập cộng đồng, xây dựng mô hình cảm hoá, giáo dục đối tượng lầm lỗi tái hoà nhập cộng đồng, trẻ em hư có biểu hiện vi phạm pháp luật...",
		},
	},
	{
		section:     domain.SectionPrevention,
		title:       "Xây dựng hiệu quả các mô hình quần chúng nhân dân tự quản về ANTT và PCCC",
		responsible: "Các ban ngành, đoàn thể; lực lượng Công an cơ sở",
		text: []string{
			"Các ban ngành, đoàn thể phối hợp chặt chẽ với lực lượng Công an cơ sở làm tốt công tác xây dựng hiệu quả các mô hình quần chúng nhân dân tự quản về ANTT và PCCC, góp phần cho công tác đấu tranh phòng, chống tội phạm, giữ gìn an ninh trật tự.",
		},
	},
	{
		section:     domain.SectionPrevention,
		title:       "Củng cố các lực lượng tại cơ sở; duy trì tuần tra kiểm soát hành chính",
		responsible: "Công an phường; lực lượng bảo vệ, Dân phòng, tự quản về ANTT",
		text: []string{
			"Chủ động phòng ngừa, phát hiện tội phạm và vi phạm pháp luật; củng cố và phát huy vai trò của lực lượng công an phường, bảo vệ các cơ quan, doanh nghiệp, Dân phòng... các lực lượng tự quản về ANTT, thành lập các tổ tuần tra kiểm soát và duy trì hoạt động tuần tra kiểm soát hành chính nhằm phòng ngừa, hạn chế thấp nhất các vi phạm pháp luật.",
		},
	},
	{
		section:     domain.SectionPrevention,
		title:       "Quản lý cơ sở kinh doanh có điều kiện về ANTT, quản lý cư trú; xử lý tụ điểm tệ nạn xã hội",
		responsible: "Ban Chỉ đạo thị xã Việt Yên",
		text: []string{
			"Quản lý chặt chẽ các cơ sở, ngành nghề kinh doanh có điều kiện về ANTT nhất là các cơ sở cầm đồ, lưu trú, karaoke... Tăng cường quản lý cư trú; kiểm tra, kiểm soát kiểm chế và làm giảm tai nạn giao thông, cháy nổ; phát hiện và xử lý kịp thời các tụ điểm tệ nạn xã hội về cờ bạc, mại dâm, ma túy,...",
		},
	},
	{
		section:     domain.SectionPrevention,
		title:       "Lập hồ sơ đưa vào diện giáo dục, cai nghiện bắt buộc; quản lý người nghiện ma túy",
		responsible: "Ban Chỉ đạo thị xã Việt Yên",
		text: []string{
			"Rà soát, lập hồ sơ đưa người có hành vi vi phạm pháp luật vào diện giáo dục tại xã, phường, đưa vào cơ sở cai nghiện bắt buộc, cơ sở giáo dục bắt buộc, trường giáo dưỡng; quản lý chặt chẽ số người nghiện ma túy trên địa bàn đồng thời không để phát sinh người nghiện mới. Thực hiện tốt công tác gọi hỏi, răn đe, giáo dục cho đối tượng tại địa bàn về các quy định của pháp luật.",
		},
	},
	{
		section:     domain.SectionPrevention,
		title:       "Vận động thu hồi vũ khí, vật liệu nổ, công cụ hỗ trợ",
		responsible: "Ban Chỉ đạo thị xã Việt Yên",
		text: []string{
			"Tiếp tục vận động thu hồi vũ khí, vật liệu nổ, công cụ hỗ trợ góp phần phòng ngừa tội phạm sử dụng vũ khí, vật liệu nổ gây án.",
		},
	},
	{
		section:     domain.SectionPrevention,
		title:       "Động viên, khen thưởng tập thể, cá nhân tích cực trong phong trào toàn dân bảo vệ an ninh Tổ quốc",
		responsible: "Ban Chỉ đạo thị xã Việt Yên",
		text: []string{
			"Kịp thời động viên, khen thưởng những tập thể, cá nhân có tích cực trong phong trào toàn dân bảo vệ an ninh Tổ quốc; phát hiện, điều tra bắt giữ tội phạm.",
		},
	},
	{
		section:     domain.SectionSuppression,
		title:       "Tấn công, trấn áp các loại tội phạm; giải quyết tố giác, tin báo; vận động đối tượng truy nã ra đầu thú",
		responsible: "Ban Chỉ đạo thị xã Việt Yên",
		text: []string{
			"Chủ động phòng ngừa, kết hợp chặt chẽ với tích cực tấn công trấn áp mạnh mẽ các loại tội phạm nhất là các loại tội phạm nghiêm trọng, rất nghiêm trọng và đặc biệt nghiêm trọng, tội phạm kinh tế, tham nhũng, buôn lậu, gian lận thương mại và hàng giả, tội phạm liên quan đến hoạt động “tín dụng đen”, tội phạm về ma túy... Chấp hành nghiêm các quy định của pháp luật trong việc giải quyết tố giác, tin báo tội phạm và kiến nghị khởi tố, phòng, chống oan sai, bỏ lọt tội phạm. Tổ chức vận động đối tượng truy nã ra đầu thú.",
		},
	},
	{
		section:     domain.SectionSuppression,
		title:       "Phối hợp điều tra, truy tố, xét xử; xét xử lưu động các vụ án điểm",
		responsible: "Công an thị xã, Viện Kiểm sát, Tòa án nhân dân",
		frequency:   "thường xuyên",
		text: []string{
			"Công an thị xã, Viện Kiểm sát, Toà án nhân dân thường xuyên phối hợp, trao đổi thông tin, chấn chỉnh thực hiện nghiêm túc các quy định của pháp luật trong hoạt động điều tra, truy tố, xét xử tội phạm. Thống nhất quan điểm chỉ đạo, giải quyết các vụ án phức tạp, dư luận quan tâm; xây dựng kế hoạch đưa ra xét xử lưu động tại cơ sở các vụ án điểm để tuyên truyền pháp luật, giáo dục, răn đe tội phạm. Nâng cao hiệu quả công tác điều tra, truy tố, xét xử tội phạm, thực hiện đúng quy định của pháp luật, không để xảy ra oan, sai, bỏ lọt tội phạm.",
		},
	},
	{
		section:     domain.SectionSuppression,
		title:       "Bảo đảm tiếp nhận tin báo, tố giác tội phạm qua bộ phận thường trực và đường dây nóng",
		responsible: "Ban Chỉ đạo thị xã Việt Yên",
		frequency:   "liên tục",
		text: []string{
			"Bố trí đảm bảo bộ phận thường trực tiếp nhận tin báo, đảm bảo đường dây nóng hoạt động liên tục để tiếp nhận tin báo, tố giác tội phạm của quần chúng nhân dân. Đảm bảo mọi tin báo, tố giác đều được tiếp nhận và xử lý theo đúng thẩm quyền và pháp luật.",
		},
	},
	{
		section:     domain.SectionSuppression,
		title:       "Phòng, chống tội phạm tại địa bàn giáp ranh; giữ ổn định địa bàn đã chuyển hóa",
		responsible: "Ban Chỉ đạo thị xã Việt Yên",
		text: []string{
			"Thực hiện các biện pháp phòng, chống tội phạm tại các địa bàn giáp ranh; xây dựng, thực hiện các biện pháp phối hợp nhằm duy trì ổn định địa bàn đã chuyển hóa, không để xảy ra hiện tượng tái phức tạp trở lại.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Thành viên Ban Chỉ đạo thị xã hỗ trợ, cung cấp số liệu và báo cáo định kỳ",
		responsible: "Các thành viên Ban Chỉ đạo thị xã",
		frequency:   "định kỳ 6 tháng; 01 năm",
		text: []string{
			"Các thành viên trong Ban Chỉ đạo thị xã dựa trên chức năng, nhiệm vụ của mình thực hiện các biện pháp để đảm bảo an ninh trật tự; đồng thời, hỗ trợ lực lượng công an trong công tác tuyên truyền, vận động nhân dân tham gia các phong trào đấu tranh phòng, chống tội phạm, bảo vệ an ninh trật tự trên địa bàn phường Nénh, cung cấp thông tin về số liệu địa bàn phường Nénh; báo cáo kết quả thực hiện định kỳ 6 tháng; 01 năm theo quy định.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Thành viên phụ trách địa bàn phường Nếnh chỉ đạo, kiểm tra và báo cáo Trưởng ban hằng tháng",
		responsible: "Thành viên Ban Chỉ đạo thị xã được phân công phụ trách địa bàn phường Nếnh",
		frequency:   "hàng tháng",
		text: []string{
			"Thành viên Ban Chỉ đạo thị xã được phân công phụ trách địa bàn phường Nénh cần tăng cường chỉ đạo, kiểm tra, đánh giá việc thực hiện công tác chuyển hóa địa bàn trọng điểm về trật tự, an toàn xã hội của Ban Chỉ đạo phường Nénh, báo cáo Trưởng Ban chỉ đạo hàng tháng và chịu trách nhiệm về kết quả công tác chuyển hóa địa bàn tại phường Nénh.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Kiện toàn Ban Chỉ đạo phường Nếnh; đưa tiêu chí chuyển hóa vào giao ban",
		responsible: "Đảng ủy, UBND, Ban Chỉ đạo phường Nếnh",
		text: []string{
			"Kiện toàn thành viên Ban Chỉ đạo về phòng chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ ANTO, phân công đồng chí Bí thư Đảng ủy lãnh đạo trực tiếp, toàn diện về mọi mặt, đồng chí Chủ tịch UBND phường trực tiếp làm Trưởng ban, Trưởng Công an phường làm Phó ban Thường trực, các ngành, đoàn thể là thành viên để chỉ đạo công tác phòng chống tội phạm nói chung và công tác chuyển hóa địa bàn. Đồng thời, đưa nội dung đánh giá kết quả triển khai thực hiện, gắn với tiêu chí chuyển hóa vào giao ban giữa cấp ủy Đảng, chính quyền với các ban ngành để kiểm điểm tiến độ thực hiện, kịp thời phát hiện và chỉ đạo giải quyết những khó khăn, vướng mắc.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Củng cố lực lượng Công an phường; phối hợp các mô hình tự quản tuần tra",
		responsible: "Ban Chỉ đạo phường Nếnh",
		text: []string{
			"Cùng cố phát huy vai trò của lực lượng Công an phường; tăng cường phát huy vai trò của nhân dân trong phong trào toàn dân bảo vệ an ninh tổ quốc; phối hợp với các mô hình quần chúng nhân dân tự quản về an ninh trật tự tuần tra trên địa bàn nhằm hạn chế thấp các vi phạm pháp luật và tội phạm xảy ra trên địa bàn.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Quản lý cơ sở kinh doanh có điều kiện về ANTT, quản lý cư trú trên địa bàn phường",
		responsible: "Ban Chỉ đạo phường Nếnh",
		text: []string{
			"Quản lý chặt chẽ các cơ sở, ngành nghề kinh doanh có điều kiện về ANTT nhất là các cơ sở cầm đồ, lưu trú, karaoke... Tăng cường quản lý cư trú; kiểm tra, kiểm soát kiểm chế và làm giảm tai nạn giao thông, cháy nổ; phát hiện và xử lý kịp thời các tụ điểm tệ nạn xã hội về cờ bạc, mại dâm, ma túy,...",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Lập hồ sơ giáo dục, cai nghiện bắt buộc; tái hòa nhập cộng đồng cho người lầm lỗi",
		responsible: "Ban Chỉ đạo phường Nếnh",
		text: []string{
			"Chỉ đạo các ban ngành đoàn thể rà soát, lập hồ sơ đưa người có hành vi vi phạm pháp luật vào diện giáo dục tại xã, phường, đưa vào cơ sở cai nghiện bắt buộc, cơ sở giáo dục bắt buộc, trường giáo dưỡng; quản lý chặt chẽ số người nghiện ma túy trên địa bàn đồng thời không để phát sinh người nghiện mới. Thực hiện tốt công tác gọi hỏi, răn đe, giáo dục cho đối tượng tại địa bàn về các quy định của pháp luật. Tăng cường thực hiện hiệu quả đề án Tái hòa nhập cộng đồng, xây dựng các Tổ giáo dục, cảm hóa người lầm lỗi tại địa phương tái hòa nhập cộng đồng.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Nắm tình hình, quản lý đối tượng khiếu kiện phức tạp",
		responsible: "Ban Chỉ đạo phường Nếnh; Đội An ninh Công an thị xã",
		text: []string{
			"Phối hợp với Đội An ninh Công an thị xã nắm tình hình, quản lý những đối tượng khiếu kiện phức tạp.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Vận động thu hồi vũ khí, vật liệu nổ, công cụ hỗ trợ trên địa bàn phường",
		responsible: "Ban Chỉ đạo phường Nếnh",
		text: []string{
			"Tiếp tục vận động thu hồi vũ khí, vật liệu nổ, công cụ hỗ trợ góp phần phòng ngừa tội phạm sử dụng vũ khí, vật liệu nổ gây án.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Tham mưu chỉ đạo; hướng dẫn Công an phường Nếnh tham mưu xây dựng kế hoạch",
		responsible: "Công an thị xã Việt Yên",
		text: []string{
			"Chủ động tham mưu Thị uỷ, UBND thị xã, Ban Chỉ đạo thị xã chỉ đạo các ban, ngành, đoàn thể, UBND phường Nénh và các xã giáp ranh thực hiện có hiệu quả công tác đấu tranh phòng, chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ ANTT. Hướng dẫn Công an phường Nénh tham mưu Ban Chỉ đạo phường Nénh xây dựng Kế hoạch triển khai thực hiện có hiệu quả công tác chuyên hoá địa bàn trọng điểm, phức tạp về TTATXH bảo đảm yêu cầu và mục đích đề ra.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Chỉ đạo các đơn vị nghiệp vụ; đẩy mạnh đấu tranh, giữ vững ANTT tại phường Nếnh",
		responsible: "Công an thị xã Việt Yên",
		text: []string{
			"Chỉ đạo các đơn vị nghiệp vụ Công an thị xã tăng cường áp dụng các biện pháp công tác, phối hợp các ban, ngành, đoàn thể và Đảng uỷ, UBND, Công an phường Nénh đề xuất các biện pháp thực hiện có hiệu quả việc chuyên hoá địa bàn. Đẩy mạnh công tác đấu tranh, phòng chống tội phạm, tệ nạn xã hội; phát hiện và xử lý nghiêm minh đối với các hành vi vi phạm pháp luật, góp phần giữ vững ANTT tại địa bàn phường Nénh.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Sơ kết, đánh giá; đề xuất đưa phường Nếnh ra khỏi diện trọng điểm và giữ ổn định sau chuyển hóa",
		responsible: "Công an thị xã Việt Yên",
		frequency:   "định kỳ",
		text: []string{
			"Định kỳ tham mưu Ban Chỉ đạo thị xã tổ chức sơ kết, đánh giá tình hình, kết quả công tác bảo đảm TTATXH tại địa bàn phường Nénh trên cơ sở đó tham mưu cho Thị uỷ, UBND thị xã báo cáo, đề xuất Chủ tịch UBND tỉnh Bắc Giang đưa ra khỏi diện trọng điểm, phức tạp về TTATXH khi phường Nénh đã thực hiện đạt việc chuyên hoá và đề xuất kế hoạch, biện pháp để tiếp tục ổn định tình hình ANTT sau chuyên hoá.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Lập dự trù kinh phí tổ chức thực hiện chuyển hóa địa bàn",
		responsible: "Công an thị xã Việt Yên; Phòng Tài chính - Kế hoạch thị xã",
		text: []string{
			"Phối hợp với Phòng Tài chính- Kế hoạch thị xã lên dự trù, báo cáo UBND thị xã về kinh phí tổ chức thực hiện chuyên hoá địa bàn.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Ban Chỉ đạo phường Nếnh xây dựng kế hoạch và gửi về Cơ quan Thường trực (qua Công an thị xã)",
		responsible: "Ban Chỉ đạo phường Nếnh",
		due:         "2024-03-11",
		text: []string{
			"Căn cứ Kế hoạch này, yêu cầu Ban Chỉ đạo phường Nénh chủ động tham mưu cho Đảng uỷ, UBND cùng cấp chỉ đạo các ban, ngành, đoàn thể, các thôn, xóm, tổ dân phố triển khai thực hiện, giao nhiệm vụ cụ thể cho từng thành viên, nhằm huy động sức mạnh của cả hệ thống chính trị cùng tham gia công tác chuyển hóa địa bàn; đồng thời xây dựng kế hoạch triển khai thực hiện nghiêm túc và gửi kế hoạch về Cơ quan Thường trực Ban Chỉ đạo thị xã (qua Công an thị xã) trước ngày 12/3/2024.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Báo cáo kết quả quý I",
		responsible: "Ban Chỉ đạo phường Nếnh",
		due:         "2024-03-12",
		text: []string{
			"Tổ chức sơ kết đánh giá kết quả thực hiện kế hoạch và báo cáo Chủ tịch UBND thị xã, Ban chỉ đạo thị xã (qua Cơ quan thường trực - Công an thị xã):",
			"Định kỳ báo cáo kết quả quý I trước 13/3: Tính từ 15/12 năm trước kỳ báo cáo đến ngày 12/3 của kỳ báo cáo.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Báo cáo kết quả 6 tháng",
		responsible: "Ban Chỉ đạo phường Nếnh",
		due:         "2024-06-12",
		text: []string{
			"Tổ chức sơ kết đánh giá kết quả thực hiện kế hoạch và báo cáo Chủ tịch UBND thị xã, Ban chỉ đạo thị xã (qua Cơ quan thường trực - Công an thị xã):",
			"Định kỳ báo cáo kết quả 6 tháng trước 13/6: Tính từ 15/12 năm trước kỳ báo cáo đến ngày 12/6 của kỳ báo cáo.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Báo cáo kết quả quý III",
		responsible: "Ban Chỉ đạo phường Nếnh",
		due:         "2024-09-12",
		text: []string{
			"Tổ chức sơ kết đánh giá kết quả thực hiện kế hoạch và báo cáo Chủ tịch UBND thị xã, Ban chỉ đạo thị xã (qua Cơ quan thường trực - Công an thị xã):",
			"Định kỳ báo cáo kết quả quý III trước 13/9: Tính từ 12/6 đến ngày 12/9 của kỳ báo cáo.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Báo cáo kết quả năm",
		responsible: "Ban Chỉ đạo phường Nếnh",
		due:         "2024-12-12",
		text: []string{
			"Tổ chức sơ kết đánh giá kết quả thực hiện kế hoạch và báo cáo Chủ tịch UBND thị xã, Ban chỉ đạo thị xã (qua Cơ quan thường trực - Công an thị xã):",
			"Định kỳ báo cáo kết quả năm trước 13/12: Tính từ 15/12 năm trước kỳ báo cáo đến ngày 12/12 của kỳ báo cáo.",
		},
	},
	{
		section:     domain.SectionOrganisation,
		title:       "Cơ quan Thường trực điều phối, theo dõi, đôn đốc và tổng hợp báo cáo Ban Chỉ đạo tỉnh",
		responsible: "Cơ quan Thường trực Ban Chỉ đạo thị xã (Công an thị xã)",
		frequency:   "định kỳ",
		text: []string{
			"Giao cho Cơ quan Thường trực Ban Chỉ đạo thị xã (Công an thị xã) có trách nhiệm giúp Trưởng ban Chỉ đạo trong điều phối các hoạt động của các thành viên; tổ chức hướng dẫn, theo dõi, kiểm tra, đôn đốc tổ chức thực hiện; định kỳ tổng hợp tình hình báo cáo kết quả về Ban chỉ đạo tỉnh theo quy định./.",
		},
	},
}
